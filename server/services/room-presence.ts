import type { Redis } from 'ioredis';

/**
 * Who is connected to each live room, per socket: a member is here while any of their sockets is. The services see
 * only this interface; several nodes share it in Redis (RedisRoomPresence), one process keeps it in memory like its
 * sockets (LocalRoomPresence).
 */
export interface RoomPresence {
	/** A member's socket entered a room; true when the member was not here before (their first socket). */
	join(roomId: number, userId: number, socketId: string): Promise<boolean>;
	/** A socket left one room (or, `roomId` omitted, every room): the rooms a member left with it (their last socket). */
	leave(socketId: string, roomId?: number): Promise<number[]>;
	/** The members connected to a room. */
	list(roomId: number): Promise<number[]>;
}

/** Presence in this process: room → member → their sockets. */
export class LocalRoomPresence implements RoomPresence {
	readonly #rooms = new Map<number, Map<number, Set<string>>>();

	async join(roomId: number, userId: number, socketId: string): Promise<boolean> {
		let room = this.#rooms.get(roomId);
		if (!room) this.#rooms.set(roomId, (room = new Map()));
		const sockets = room.get(userId) ?? new Set<string>();
		const arrived = sockets.size === 0;
		sockets.add(socketId);
		room.set(userId, sockets);
		return arrived;
	}

	async leave(socketId: string, roomId?: number): Promise<number[]> {
		const left: number[] = [];
		for (const [id, room] of this.#rooms) {
			if (roomId !== undefined && id !== roomId) continue;
			for (const [userId, sockets] of room) {
				if (!sockets.delete(socketId) || sockets.size) continue;
				room.delete(userId);
				left.push(id);
			}
			if (!room.size) this.#rooms.delete(id);
		}
		return left;
	}

	async list(roomId: number): Promise<number[]> {
		return [...(this.#rooms.get(roomId)?.keys() ?? [])];
	}
}

const JOIN = `
redis.call('sadd', KEYS[2], ARGV[3])
redis.call('sadd', KEYS[3], ARGV[1] .. ':' .. ARGV[2])
redis.call('sadd', KEYS[4], ARGV[3])
if redis.call('scard', KEYS[2]) == 1 then return redis.call('sadd', KEYS[1], ARGV[2]) end
return 0`;

// KEYS[1]: the socket's index; ARGV[1]: key prefix, ARGV[2]: socket id, ARGV[3]: the room or '' for all.
const LEAVE = `
local left = {}
for _, entry in ipairs(redis.call('smembers', KEYS[1])) do
  local room, user = string.match(entry, '^(%d+):(%d+)$')
  if room and (ARGV[3] == '' or room == ARGV[3]) then
    local sockets = ARGV[1] .. room .. ':user:' .. user
    redis.call('srem', sockets, ARGV[2])
    redis.call('srem', KEYS[1], entry)
    if redis.call('scard', sockets) == 0 then
      redis.call('srem', ARGV[1] .. room, user)
      table.insert(left, tonumber(room))
    end
  end
end
return left`;

/**
 * Presence shared by every node in Redis (REDIS_URL): the same answers as LocalRoomPresence, for sockets on any node.
 * Sets per room (its members), per room and member (their sockets) and per socket (where it is), changed by scripts
 * so two nodes never interleave halfway. The keys of the rooms are `${prefix}presence:room:<id>`; the keys in a
 * script are built from the prefix, so this assumes one Redis, not a cluster of shards.
 *
 * Each node also lists its sockets under its id and keeps a short-lived key saying it is alive (SharedState): the
 * sockets of a node that died without leaving are found by `socketsOfGoneNodes` and made to leave (context.ts), so a
 * crashed node's members do not stay "here" for ever.
 */
export class RedisRoomPresence implements RoomPresence {
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string,
		private readonly nodeId: string
	) {}

	#node(nodeId: string): string {
		return `${this.prefix}presence:node:${nodeId}`;
	}

	#room(roomId: number | string): string {
		return `${this.prefix}presence:room:${roomId}`;
	}

	#socket(socketId: string): string {
		return `${this.prefix}presence:socket:${socketId}`;
	}

	async join(roomId: number, userId: number, socketId: string): Promise<boolean> {
		const keys = [this.#room(roomId), `${this.#room(roomId)}:user:${userId}`, this.#socket(socketId), this.#node(this.nodeId)];
		return (await this.redis.eval(JOIN, 4, ...keys, String(roomId), String(userId), socketId)) === 1;
	}

	async leave(socketId: string, roomId?: number): Promise<number[]> {
		const left = (await this.redis.eval(LEAVE, 1, this.#socket(socketId), this.#room(''), socketId, roomId === undefined ? '' : String(roomId))) as number[];
		if (roomId === undefined) await this.redis.srem(this.#node(this.nodeId), socketId);
		return [...new Set(left)];
	}

	/**
	 * Sockets listed by nodes that no longer say they are alive (`isAlive`), forgotten from their lists as they are
	 * returned: the caller makes each leave its rooms.
	 */
	async socketsOfGoneNodes(isAlive: (nodeId: string) => Promise<boolean>): Promise<string[]> {
		const gone: string[] = [];
		const lists: string[] = [];
		for await (const batch of this.redis.scanStream({ match: this.#node('*'), count: 200 }) as AsyncIterable<string[]>) lists.push(...batch);
		for (const list of lists) {
			const nodeId = list.slice(this.#node('').length);
			if (nodeId === this.nodeId || (await isAlive(nodeId))) continue;
			gone.push(...(await this.redis.smembers(list)));
			await this.redis.del(list);
		}
		return gone;
	}

	async list(roomId: number): Promise<number[]> {
		return (await this.redis.smembers(this.#room(roomId))).map(Number);
	}
}
