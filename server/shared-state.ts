import { randomUUID } from 'node:crypto';
// Loaded only when REDIS_URL is set (#open): a start without Redis does not load ioredis.
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { DomainEvents, EventBus, EventName, Listener } from './events/bus.js';
import type { Logger } from './logger.js';

/** Thrown at start-up when REDIS_URL cannot be used; the message is the one line saying what to fix. */
export class RedisUnavailable extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RedisUnavailable';
	}
}

/** Where Redis is, for messages: host, port and database number, never the password. */
export function describeRedis(url: string): string {
	const u = new URL(url);
	const db = u.pathname.replace(/^\//, '') || '0';
	return `${u.hostname}:${u.port || '6379'}/${db}`;
}

/** The one line start-up stops with when Redis cannot be reached or refuses us. */
export function explainRedisError(error: unknown, url: string): string {
	const where = describeRedis(url);
	const e = error as { code?: string; message?: string } | undefined;
	const said = (e?.message ?? String(error)).split('\n')[0];
	if (e?.code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'].includes(e.code))
		return `REDIS_URL: cannot reach Redis at ${where} (${e.code}); start Redis or fix the host and port in REDIS_URL.`;
	if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(said)) return `REDIS_URL: Redis at ${where} refused the credentials (${said}); fix the user and password in REDIS_URL.`;
	if (/DB index is out of range/i.test(said)) return `REDIS_URL: Redis at ${where} has no such database (${said}); fix the number after the last / in REDIS_URL.`;
	return `REDIS_URL: Redis at ${where} could not be used (${said}); check that Redis runs and REDIS_URL is right.`;
}

/** How long start-up waits for Redis to answer before it stops with one line. */
const CONNECT_TIMEOUT_MS = 5000;
/** How long a command of the commands connection may wait (for Redis to come back) before it fails. */
const COMMAND_TIMEOUT_MS = 2000;
/** How long a node counts as alive after it last said so (it says so every third of this). */
const ALIVE_MS = 15_000;

/**
 * The Redis connections one Kuvend node holds when REDIS_URL is set: commands (rate limits, presence, the lease),
 * a subscriber for the events the nodes tell each other, and one reader per Socket.IO adapter (its XREAD blocks
 * the connection it runs on, so it never shares one). Every key and channel starts with REDIS_PREFIX.
 *
 * While Redis is away, ioredis keeps reconnecting and holds commands until it is back; the outage is logged once
 * when it starts and once when it ends, not at every retry.
 */
export class SharedState {
	/** This process among the nodes: tells its own messages from the others'. */
	readonly nodeId = randomUUID();
	readonly #extra: Redis[] = [];
	#closed = false;
	#heartbeat: NodeJS.Timeout | undefined;

	private constructor(
		readonly redis: Redis,
		readonly prefix: string,
		private readonly url: string,
		private readonly logger: Logger
	) {}

	/** Connects and checks that Redis answers; throws RedisUnavailable with one line otherwise. */
	static async connect(config: Pick<Config, 'redisUrl' | 'redisPrefix'>, logger: Logger): Promise<SharedState> {
		const url = config.redisUrl!;
		// Commands give up after a while, so that a limit falls back to memory and the lease is let go rather than a
		// request waiting for Redis to come back.
		const shared = new SharedState(await SharedState.#open(url, 'commands', COMMAND_TIMEOUT_MS), config.redisPrefix, url, logger);
		shared.#watch(shared.redis, 'commands');
		await shared.#beat();
		shared.#heartbeat = setInterval(() => void shared.#beat(), ALIVE_MS / 3);
		shared.#heartbeat.unref();
		return shared;
	}

	/** This node says it is alive for the next ALIVE_MS (what it holds in Redis is cleared by others once it is not). */
	async #beat(): Promise<void> {
		// Every few seconds while Redis is away: the outage itself is logged once per connection, so this at debug.
		await this.bestEffort('say this node is alive', this.redis.set(this.key(`node:${this.nodeId}`), '1', 'PX', ALIVE_MS), 'debug');
	}

	/**
	 * Work that only tidies up or keeps a mark fresh: a failure is logged and never thrown (others clear what it
	 * leaves once its key runs out).
	 */
	async bestEffort(what: string, work: Promise<unknown>, level: 'debug' | 'warn' = 'warn'): Promise<void> {
		await work.catch((error: unknown) => this.logger[level](`Redis: could not ${what}`, { redis: describeRedis(this.url), error: String(error) }));
	}

	/** Whether a node has said it is alive within the last ALIVE_MS. */
	async isAlive(nodeId: string): Promise<boolean> {
		return (await this.redis.exists(this.key(`node:${nodeId}`))) === 1;
	}

	static async #open(url: string, role: string, commandTimeout?: number): Promise<Redis> {
		const { Redis } = await import('ioredis');
		const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, connectionName: `kuvend-${role}`, commandTimeout });
		let last: unknown;
		const remember = (error: unknown) => void (last = error);
		redis.on('error', remember);
		try {
			await redis.connect();
			await redis.ping();
		} catch (error) {
			redis.disconnect();
			throw new RedisUnavailable(explainRedisError(last ?? error, url));
		} finally {
			redis.off('error', remember);
		}
		return redis;
	}

	/** Logs an outage once, and its end. */
	#watch(redis: Redis, role: string): void {
		let down = false;
		redis.on('error', (error: { code?: string; message?: string }) => {
			if (down || this.#closed) return;
			down = true;
			this.logger.error('Redis is unreachable; reconnecting (rate limits fall back to this node, broadcasts to other nodes wait)', {
				redis: describeRedis(this.url),
				connection: role,
				error: error.code ?? error.message
			});
		});
		redis.on('ready', () => {
			if (!down) return;
			down = false;
			this.logger.warn('Redis is reachable again', { redis: describeRedis(this.url), connection: role });
		});
	}

	/**
	 * A further connection of this node's (the events subscriber, the Socket.IO adapter's), closed with the rest.
	 * Without a command timeout: the adapter's blocking reads wait longer than any timeout would allow.
	 */
	async connection(role: string): Promise<Redis> {
		const redis = await SharedState.#open(this.url, role);
		this.#watch(redis, role);
		this.#extra.push(redis);
		return redis;
	}

	key(name: string): string {
		return this.prefix + name;
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#heartbeat);
		// Gone at once: another node clears what this one left (presence) without waiting for the key to run out.
		await this.bestEffort('clear this node\'s alive mark at stop', this.redis.del(this.key(`node:${this.nodeId}`)));
		for (const redis of [...this.#extra, this.redis]) {
			await redis.quit().catch(() => redis.disconnect());
		}
	}
}

/**
 * Domain events that every node must act on, wherever they happened: access re-checks (the sockets concerned may be
 * on any node), the visitor page cache (each node keeps its own), casts (the node that sends tallies gathers them)
 * queued mail and webhooks (the node that delivers the outbox sends them), webhook events recorded (that node queues them). Broadcasts to rooms need none of this: the node where
 * the event happened emits through the Socket.IO adapter, which reaches every node's sockets.
 */
export const EVERY_NODE_EVENTS = [
	'access.changed',
	'user.access_changed',
	'session.revoked',
	'vote.cast',
	'vote.closed',
	'mail.queued',
	'webhooks.queued',
	'webhooks.recorded',
	'document.access_changed',
	'forum.post_created',
	'forum.post_updated',
	'forum.post_deleted',
	'forum.reactions_changed',
	'forum.thread_changed',
	'fields.changed',
	'user.profile_changed',
	'network.profile_changed',
	'group.changed'
] as const satisfies readonly EventName[];

export type EveryNodeEvent = (typeof EVERY_NODE_EVENTS)[number];

/**
 * Listening to events on every node: a listener hears the event whether it happened on this node (the bus) or on
 * another (Redis). Without Redis, this is the bus itself.
 */
export interface NodeEvents {
	on<K extends EveryNodeEvent>(event: K, listener: Listener<K>): () => void;
	close(): Promise<void>;
}

/** One process: the events of this node are all there are. */
export function localNodeEvents(bus: EventBus): NodeEvents {
	return { on: (event, listener) => bus.on(event, listener), close: async () => {} };
}

interface Relayed {
	from: string;
	event: EveryNodeEvent;
	payload: unknown;
}

/**
 * Events of this node published on a Redis channel, and those of the other nodes heard on it. Pub/sub delivers at
 * most once and only to nodes connected at the time: what it carries either clears something (a cache, a room a
 * person may no longer see) that also clears itself later (the cache's time to live, the re-check at the next
 * join), or asks for work that is repeated anyway (tallies, the outbox), so a message lost in an outage costs
 * freshness, never a decision.
 */
export async function redisNodeEvents(bus: EventBus, shared: SharedState, logger: Logger): Promise<NodeEvents> {
	const channel = shared.key('events');
	const subscriber = await shared.connection('events');
	const remote = new Map<string, Set<(payload: unknown) => void>>();
	subscriber.on('message', (from, text: string) => {
		if (from !== channel) return;
		let message: Relayed;
		try {
			message = JSON.parse(text) as Relayed;
		} catch {
			return logger.warn('ignored an unreadable message from another node', { channel });
		}
		if (message.from === shared.nodeId) return;
		for (const listener of remote.get(message.event) ?? []) {
			try {
				listener(message.payload);
			} catch (error) {
				logger.error('event listener failed', { event: message.event, error });
			}
		}
	});
	await subscriber.subscribe(channel);
	const offs = EVERY_NODE_EVENTS.map((event) =>
		bus.on(event, (payload: DomainEvents[typeof event]) => {
			const message: Relayed = { from: shared.nodeId, event, payload };
			shared.redis.publish(channel, JSON.stringify(message)).catch((error: unknown) => logger.warn('could not tell the other nodes of an event', { event, error: String(error) }));
		})
	);
	return {
		on(event, listener) {
			const off = bus.on(event, listener);
			const set = remote.get(event) ?? new Set();
			const heard = listener as (payload: unknown) => void;
			set.add(heard);
			remote.set(event, set);
			return () => {
				off();
				set.delete(heard);
			};
		},
		async close() {
			offs.forEach((off) => off());
			remote.clear();
		}
	};
}

/** Whether this node is the one running the scheduled work now. */
export interface Leadership {
	readonly held: boolean;
	/** Called whenever this node takes or loses the lease. */
	onChange(listener: (held: boolean) => void): void;
	close(): Promise<void>;
}

/** One process: it always runs its own scheduled work. */
export const soleNode: Leadership = { held: true, onChange: () => {}, close: async () => {} };

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The lease on the scheduled work (vote schedule, digests, outbox delivery, tally broadcasts): `SET key node NX PX
 * ttl`, renewed every third of the ttl by its holder only, released at a clean stop so another node takes it at
 * once. A node that dies holds it at most `ttlMs`; a node that cannot reach Redis gives it up as soon as it fails to
 * renew, and the work pauses rather than running twice.
 */
export class RedisLease implements Leadership {
	#held = false;
	#timer: NodeJS.Timeout | undefined;
	#closed = false;
	readonly #listeners: ((held: boolean) => void)[] = [];
	readonly #key: string;

	constructor(
		private readonly shared: SharedState,
		private readonly logger: Logger,
		private readonly ttlMs = 15_000
	) {
		this.#key = shared.key('lease:scheduled-work');
	}

	get held(): boolean {
		return this.#held;
	}

	onChange(listener: (held: boolean) => void): void {
		this.#listeners.push(listener);
	}

	/** Tries at once, then every third of the ttl. */
	async start(): Promise<void> {
		await this.#turn();
		this.#timer = setInterval(() => void this.#turn(), Math.max(50, Math.floor(this.ttlMs / 3)));
		this.#timer.unref();
	}

	#set(held: boolean): void {
		if (held === this.#held) return;
		this.#held = held;
		this.logger.info(held ? 'this node runs the scheduled work (vote schedule, digests, outbox, tallies)' : 'this node no longer runs the scheduled work', {
			node: this.shared.nodeId
		});
		for (const listener of this.#listeners) listener(held);
	}

	async #turn(): Promise<void> {
		if (this.#closed) return;
		const { redis, nodeId } = this.shared;
		try {
			const held = this.#held
				? (await redis.eval(RENEW, 1, this.#key, nodeId, String(this.ttlMs))) === 1
				: (await redis.set(this.#key, nodeId, 'PX', this.ttlMs, 'NX')) === 'OK';
			if (!this.#closed) this.#set(held);
		} catch {
			// Unreachable: the lease may run out meanwhile, so this node stops before another can start.
			if (!this.#closed) this.#set(false);
		}
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearInterval(this.#timer);
		if (!this.#held) return;
		this.#held = false;
		// Not released: another node takes the work once the lease runs out (at most its time to live).
		await this.shared.bestEffort('release the lease at stop', this.shared.redis.eval(RELEASE, 1, this.#key, this.shared.nodeId));
	}
}
