import type { Redis } from 'ioredis';
import type { SharedState } from '../../shared-state.js';
import type { Logger } from '../../logger.js';
import type { AwarenessFeed, DocumentFeed } from '../../services/document-feed.js';

/** Entries a document's stream keeps at most (about: trimmed with `~`); a node further behind reads the log. */
const STREAM_MAX = 1000;
/** How far back, in the stream's own clock, entries are kept when the log is merged: readers are never this late. */
const KEEP_AFTER_MERGE_MS = 60_000;
/** A stream nobody writes is dropped after this long (a newcomer reads the log; the stream only carries news). */
const STREAM_TTL_MS = 24 * 60 * 60 * 1000;
/** The longest one blocking read waits before it is made again (new documents also cut it short). */
const BLOCK_MS = 5000;
/** Entries taken per stream and read. */
const BATCH = 500;
const NODE_ID_BYTES = 36;
const AWARENESS_UPDATE = 0;
const AWARENESS_ASK = 1;

interface Followed {
	/** The last entry read (or the mark it was followed from). */
	from: string;
	heard(seq: number, update: Uint8Array): void;
}

type StreamReply = [Buffer, [Buffer, Buffer[]][]][] | null;

/**
 * Co-edited documents across nodes through Redis (README "Run several nodes"). Each stored update is added, with
 * its number in the log and the node that stored it, to a stream per document (`<prefix>doc:<name>`), trimmed to
 * about STREAM_MAX entries and, when the log is merged, to the last minute. One loop per node reads the streams of
 * every document the node holds with one blocking XREAD on a connection of its own, cut short (CLIENT UNBLOCK) when
 * a document is added. Presence goes on a pub/sub channel per document (`<prefix>doc-presence:<name>`): it is never
 * stored, and a node that opens a document asks the others for who is there.
 */
export class RedisDocumentFeed implements DocumentFeed, AwarenessFeed {
	readonly #followed = new Map<string, Followed>();
	readonly #gapListeners: (() => void)[] = [];
	readonly #joined = new Map<string, { heard(update: Uint8Array): void; asked(): Uint8Array | null }>();
	readonly #node: Buffer;
	#readerId: number | null = null;
	#closed = false;
	#wake: (() => void) | null = null;
	/** Counts the blocking reads made, to see whether one asked to stop has. */
	#reads = 0;
	#loop: Promise<void> = Promise.resolve();

	private constructor(
		private readonly shared: SharedState,
		private readonly reader: Redis,
		private readonly subscriber: Redis,
		private readonly logger: Logger
	) {
		this.#node = Buffer.from(shared.nodeId, 'latin1');
	}

	static async open(shared: SharedState, logger: Logger): Promise<RedisDocumentFeed> {
		const reader = await shared.connection('documents');
		const subscriber = await shared.connection('document-presence');
		const feed = new RedisDocumentFeed(shared, reader, subscriber, logger);
		feed.#readerId = Number(await reader.client('ID'));
		// Back after an outage: what was told meanwhile may be lost, so each document reads its log again; the new
		// connection has another id; the others are asked again who is in each document.
		reader.on('ready', () => {
			for (const listener of feed.#gapListeners) listener();
			void reader.client('ID').then(
				(id) => (feed.#readerId = Number(id)),
				() => undefined
			);
		});
		subscriber.on('ready', () => {
			for (const name of feed.#joined.keys()) feed.#publish(name, AWARENESS_ASK, new Uint8Array());
		});
		subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => feed.#hearPresence(channel, message));
		feed.#loop = feed.#read();
		return feed;
	}

	get presence(): AwarenessFeed {
		return this;
	}

	#stream(name: string): string {
		return this.shared.key(`doc:${name}`);
	}

	#channel(name: string): string {
		return this.shared.key(`doc-presence:${name}`);
	}

	// -- updates -----------------------------------------------------------------------------------------------

	async mark(name: string): Promise<string> {
		const last = (await this.shared.redis.xrevrange(this.#stream(name), '+', '-', 'COUNT', 1))[0];
		return last?.[0] ?? '0-0';
	}

	follow(name: string, from: string, heard: (seq: number, update: Uint8Array) => void): void {
		this.#followed.set(name, { from, heard });
		this.#interrupt();
	}

	unfollow(name: string): void {
		this.#followed.delete(name);
	}

	tell(name: string, seq: number, update: Uint8Array): void {
		// Not queued while Redis is away (updates of any size would pile up in this process): the other nodes read
		// what they missed from the log once it is back (onGap), which they must do anyway for what was in flight.
		if (this.shared.redis.status !== 'ready') return;
		const key = this.#stream(name);
		this.shared.redis
			.pipeline()
			.xadd(key, 'MAXLEN', '~', STREAM_MAX, '*', 's', String(seq), 'n', this.#node, 'u', Buffer.from(update.buffer, update.byteOffset, update.byteLength))
			.pexpire(key, STREAM_TTL_MS)
			.exec()
			.then((results) => {
				const failed = results?.find(([error]) => error)?.[0];
				if (failed) throw failed;
			})
			// Stored all the same: the other nodes read it from the log when Redis is back (onGap).
			.catch((error: unknown) => this.logger.debug('could not tell the other nodes of a document update', { doc: name, seq, error: String(error) }));
	}

	merged(name: string): void {
		const from = this.#followed.get(name)?.from;
		const ms = from ? Number(from.split('-')[0]) : 0;
		if (ms <= KEEP_AFTER_MERGE_MS) return;
		void this.shared.bestEffort('trim a document stream after a merge', this.shared.redis.xtrim(this.#stream(name), 'MINID', '~', `${ms - KEEP_AFTER_MERGE_MS}-0`), 'debug');
	}

	onGap(listener: () => void): void {
		this.#gapListeners.push(listener);
	}

	/** Cuts the blocking read short, so that it is made again with the documents held now. */
	#interrupt(): void {
		if (this.#wake) {
			const wake = this.#wake;
			this.#wake = null;
			wake();
			return;
		}
		const read = this.#reads;
		const unblock = () => {
			if (this.#readerId === null || this.#closed || this.#reads !== read) return;
			void this.shared.bestEffort('cut the document reader short', this.shared.redis.call('CLIENT', 'UNBLOCK', String(this.#readerId)), 'debug');
		};
		unblock();
		// The unblock goes on another connection and may reach Redis before the read it is meant to cut short.
		setTimeout(unblock, 100).unref();
	}

	async #read(): Promise<void> {
		while (!this.#closed) {
			if (this.#followed.size === 0) {
				await new Promise<void>((resolve) => (this.#wake = resolve));
				continue;
			}
			const names = [...this.#followed.keys()];
			this.#reads++;
			let reply: StreamReply;
			try {
				reply = (await this.reader.xreadBuffer(
					'COUNT',
					BATCH,
					'BLOCK',
					BLOCK_MS,
					'STREAMS',
					...names.map((n) => this.#stream(n)),
					...names.map((n) => this.#followed.get(n)!.from)
				)) as StreamReply;
			} catch (error) {
				if (this.#closed) return;
				this.logger.debug('reading the document streams failed; trying again', { error: String(error) });
				await new Promise((resolve) => setTimeout(resolve, 500));
				continue;
			}
			for (const [key, entries] of reply ?? []) {
				const name = key.toString().slice(this.shared.key('doc:').length);
				const followed = this.#followed.get(name);
				if (!followed) continue;
				for (const [id, fields] of entries) {
					followed.from = id.toString();
					const entry = fieldsOf(fields);
					if (!entry || entry.node.equals(this.#node)) continue;
					try {
						followed.heard(entry.seq, entry.update);
					} catch (error) {
						this.logger.error('a document update from another node failed', { doc: name, error });
					}
				}
			}
		}
	}

	// -- presence ----------------------------------------------------------------------------------------------

	join(name: string, heard: (update: Uint8Array) => void, asked: () => Uint8Array | null): { say(update: Uint8Array): void; leave(): void } {
		this.#joined.set(name, { heard, asked });
		const channel = this.#channel(name);
		this.subscriber
			.subscribe(channel)
			.then(() => this.#publish(name, AWARENESS_ASK, new Uint8Array()))
			.catch((error: unknown) => this.logger.debug('could not follow presence in a document', { doc: name, error: String(error) }));
		return {
			say: (update) => this.#publish(name, AWARENESS_UPDATE, update),
			leave: () => {
				this.#joined.delete(name);
				void this.shared.bestEffort('stop following presence in a document', this.subscriber.unsubscribe(channel), 'debug');
			}
		};
	}

	#publish(name: string, kind: number, payload: Uint8Array): void {
		if (this.shared.redis.status !== 'ready') return;
		const message = Buffer.concat([Buffer.from([kind]), this.#node, payload]);
		// Presence renews itself every 15 s in each editor, so a lost message costs a moment, not a state.
		void this.shared.bestEffort('send presence in a document', this.shared.redis.publish(this.#channel(name), message), 'debug');
	}

	#hearPresence(channel: Buffer, message: Buffer): void {
		const name = channel.toString().slice(this.shared.key('doc-presence:').length);
		const joined = this.#joined.get(name);
		if (!joined || message.length < 1 + NODE_ID_BYTES) return;
		if (message.subarray(1, 1 + NODE_ID_BYTES).equals(this.#node)) return;
		const payload = new Uint8Array(message.subarray(1 + NODE_ID_BYTES));
		try {
			if (message[0] === AWARENESS_UPDATE) joined.heard(payload);
			else if (message[0] === AWARENESS_ASK) {
				const here = joined.asked();
				if (here) this.#publish(name, AWARENESS_UPDATE, here);
			}
		} catch (error) {
			this.logger.warn('ignored an unreadable presence message from another node', { doc: name, error: String(error) });
		}
	}

	/** Stops reading (the connections themselves are closed with SharedState's). */
	async close(): Promise<void> {
		this.#closed = true;
		this.#followed.clear();
		this.#joined.clear();
		this.#wake?.();
		this.reader.disconnect();
		await this.#loop;
	}
}

/** One stream entry's fields (s: number in the log, n: node, u: update); null when one is missing or wrong. */
function fieldsOf(fields: Buffer[]): { seq: number; node: Buffer; update: Uint8Array } | null {
	let seq = NaN;
	let node: Buffer | null = null;
	let update: Uint8Array | null = null;
	for (let i = 0; i + 1 < fields.length; i += 2) {
		const field = fields[i].toString();
		if (field === 's') seq = Number(fields[i + 1].toString());
		else if (field === 'n') node = fields[i + 1];
		else if (field === 'u') update = new Uint8Array(fields[i + 1]);
	}
	return Number.isSafeInteger(seq) && seq > 0 && node && update ? { seq, node, update } : null;
}
