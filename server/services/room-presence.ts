/**
 * Who is connected to each live room, per socket: a member is here while any of their sockets is. The services see
 * only this interface; a deployment of several nodes would share it (DESIGN.md §2, scale-out), one node keeps it in
 * memory like its sockets.
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
