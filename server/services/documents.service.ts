import * as Y from 'yjs';
import { OrderedWrites } from './ordered-writes.js';
import { LogOrder } from '../domain/log-order.js';
import { isDiskFull } from '../db/storage-health.js';
import type { DocumentLog } from '../db/repositories/document.repository.js';
import type { Logger } from '../logger.js';
import type { DocumentFeed } from './document-feed.js';
import { OTHER_NODE_ORIGIN, OtherNodesUpdates, type HeldDocument } from './other-nodes-updates.js';
import { NotStored, SERVER_ORIGIN, type LiveDocument, type Relay } from './live-document.js';

export { OTHER_NODE_ORIGIN };
export { NotStored, SERVER_ORIGIN, type LiveDocument, type Relay } from './live-document.js';

interface Queued {
	update: Uint8Array;
	origin: unknown;
}

interface Live extends LiveDocument, HeldDocument {
	holders: number;
	relays: Set<Relay>;
	sinceCompaction: number;
	idle: NodeJS.Timeout | null;
	/** Its writes, in order; on an asynchronous log those that wait are stored together (group commit). */
	writes: OrderedWrites<Queued>;
	/** A merge of the log under way on an asynchronous log: the next waits for it. */
	compacting: Promise<void> | null;
}

export interface DocumentsOptions {
	/** How long a document nobody holds stays in memory. */
	idleMs: number;
	/** Merge the log into one state after this many updates. */
	compactEvery: number;
	/** Told of every failed write (the storage health, which names a full disk and frees the log's space). */
	onWriteError: (error: unknown) => void;
	/** Where several nodes hold the same documents: their stored updates pass between them (null: one process). */
	feed: DocumentFeed | null;
}

const DEFAULTS: DocumentsOptions = { idleMs: 30_000, compactEvery: 500, onWriteError: () => undefined, feed: null };

/**
 * Collaborative documents in memory, backed by their update logs. Every change to a loaded document — from a
 * client or from the server — is appended to the log before it is applied in memory, so a crash loses nothing that
 * any peer has seen, and a newcomer's first sync never holds a change that is not stored. A change whose write
 * fails (a full disk) is refused whole: its writer keeps it and sends it again later. Logs are merged into one state every `compactEvery` updates and when a document is unloaded, which
 * happens `idleMs` after its last holder lets go. A stored update that cannot be applied is quarantined.
 */
export class DocumentsService {
	readonly #live = new Map<string, Live>();
	readonly #loading = new Map<string, Promise<Live>>();
	readonly #options: DocumentsOptions;
	#closed = false;
	readonly #others: OtherNodesUpdates<Live>;

	constructor(
		private readonly store: DocumentLog,
		private readonly logger: Logger,
		options: Partial<DocumentsOptions> = {},
		private readonly clock: () => number = Date.now
	) {
		this.#options = { ...DEFAULTS, ...options };
		this.#others = new OtherNodesUpdates<Live>({
			store,
			logger,
			take: (live, seq, update) => this.#take(live, seq, update),
			applied: (live) => this.#mergeWhenLong(live),
			held: (live) => this.#live.get(live.name) === live
		});
		// Redis came back (or the feed lost its place): every held document reads what it missed from the log.
		this.#options.feed?.onGap(() => {
			for (const live of this.#live.values()) this.#others.catchUp(live);
		});
	}

	/** The feed between nodes (null in a single process). */
	get feed(): DocumentFeed | null {
		return this.#options.feed;
	}

	/** Documents held in memory now. */
	get loaded(): number {
		return this.#live.size;
	}

	isLoaded(name: string): boolean {
		return this.#live.has(name);
	}

	/**
	 * Holds a document in memory (loading it once, however many ask at the same time) and relays its persisted
	 * updates to `relay`. Call `release` with the same relay when done.
	 */
	async acquire(name: string, relay?: Relay): Promise<LiveDocument> {
		if (this.#closed) throw new Error('documents are closed');
		let live = this.#live.get(name);
		if (!live) {
			let loading = this.#loading.get(name);
			if (!loading) {
				loading = this.#load(name).finally(() => this.#loading.delete(name));
				this.#loading.set(name, loading);
			}
			live = await loading;
		}
		live.holders++;
		if (relay) live.relays.add(relay);
		if (live.idle) {
			clearTimeout(live.idle);
			live.idle = null;
		}
		return live;
	}

	/** Relays the document's persisted updates to `relay` too (the document must be held). */
	addRelay(name: string, relay: Relay): void {
		this.#live.get(name)?.relays.add(relay);
	}

	release(name: string, relay?: Relay): void {
		const live = this.#live.get(name);
		if (!live) return;
		if (relay) live.relays.delete(relay);
		live.holders = Math.max(0, live.holders - 1);
		if (live.holders === 0 && !live.idle) {
			live.idle = setTimeout(() => this.#unload(live), this.#options.idleMs);
			live.idle.unref();
		}
	}

	/**
	 * Runs `fn` with the document sealed: clients' changes that arrive meanwhile are dropped, so what `fn` reads (a
	 * version) is exactly the text that stays. The document is loaded for the time, so the seal cannot be missed.
	 */
	async sealed<T>(name: string, fn: () => Promise<T>): Promise<T> {
		const live = await this.acquire(name);
		live.sealed++;
		try {
			return await fn();
		} finally {
			live.sealed--;
			this.release(name);
		}
	}

	/** The document's whole state as one update, from memory when loaded, else from its log. */
	async state(name: string): Promise<Uint8Array> {
		const live = this.#live.get(name);
		if (live) return Y.encodeStateAsUpdate(live.doc);
		const doc = await this.#build(name);
		try {
			return Y.encodeStateAsUpdate(doc.doc);
		} finally {
			doc.doc.destroy();
		}
	}

	/**
	 * Changes a document on the server's behalf, stored and relayed like a client's edit. `fn` works on a copy (with
	 * the server's client id), so a change that cannot be stored leaves the document as it was; throws NotStored then.
	 */
	async change(name: string, fn: (doc: Y.Doc) => void): Promise<void> {
		const live = await this.acquire(name);
		const copy = new Y.Doc({ gc: true });
		try {
			copy.clientID = live.doc.clientID;
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(live.doc));
			const parts: Uint8Array[] = [];
			copy.on('update', (update: Uint8Array) => parts.push(update));
			copy.transact(() => fn(copy), SERVER_ORIGIN);
			if (parts.length) await live.write(Y.mergeUpdates(parts), SERVER_ORIGIN);
		} finally {
			copy.destroy();
			this.release(name);
		}
	}

	/**
	 * Merges every loaded log and lets the documents go; used at shutdown (every update is already stored, or is
	 * refused as the server is stopping). Waits for what an asynchronous log has under way.
	 */
	async close(): Promise<void> {
		this.#closed = true;
		const lives = [...this.#live.values()];
		this.#live.clear();
		for (const live of lives) {
			if (live.idle) clearTimeout(live.idle);
			await live.writes.pending;
			await live.compacting;
			await live.catchingUp;
			await this.#compact(live);
			this.#forget(live);
		}
	}

	async #build(name: string): Promise<{ doc: Y.Doc; lastSeq: number; count: number; bytes: number }> {
		const stored = await this.store.load(name);
		const doc = new Y.Doc({ gc: true });
		if (stored.state) Y.applyUpdate(doc, stored.state);
		let lastSeq = stored.stateSeq;
		let bytes = stored.state?.length ?? 0;
		for (const entry of stored.updates) {
			lastSeq = entry.seq;
			bytes += entry.update.length;
			try {
				Y.decodeUpdate(entry.update); // throws on a truncated or garbled update
				Y.applyUpdate(doc, entry.update);
			} catch (error) {
				this.logger.warn('quarantined a stored document update that cannot be applied', { doc: name, seq: entry.seq, error: String(error) });
				await this.store.quarantine(name, entry, String(error), this.clock());
			}
		}
		return { doc, lastSeq, count: stored.updates.length, bytes };
	}

	async #load(name: string): Promise<Live> {
		const feed = this.#options.feed;
		// Where the feed stands before the log is read: anything stored after the read is told after this mark.
		let from = '0-0';
		let unsure = false;
		if (feed) {
			try {
				from = await feed.mark(name);
			} catch (error) {
				// From the start of what the feed keeps, and the log read again once loaded.
				unsure = true;
				this.logger.warn('could not tell where a document\'s feed stands; reading it whole', { doc: name, error: String(error) });
			}
		}
		const built = await this.#build(name);
		const live: Live = {
			name,
			doc: built.doc,
			holders: 0,
			relays: new Set(),
			sealed: 0,
			bytes: built.bytes,
			order: new LogOrder(built.lastSeq),
			gap: null,
			catchingUp: null,
			again: false,
			sinceCompaction: built.count,
			idle: null,
			writes: new OrderedWrites((group) => this.#writeGroup(live, group)),
			compacting: null,
			write: (update, origin) => live.writes.write({ update, origin })
		};
		// Only stored updates are applied (see #write), so each one the document takes is relayed at once.
		live.doc.on('update', (update: Uint8Array, origin: unknown) => this.#relay(live, update, origin));
		this.#live.set(name, live);
		if (feed) {
			feed.follow(name, from, (seq, update) => this.#others.heard(live, seq, update));
			if (unsure) this.#others.catchUp(live);
		}
		return live;
	}

	/**
	 * Stores then applies updates: one at once on a synchronous log; on an asynchronous one, each group in one
	 * statement (all stored or none), then each applied in order with the number it took.
	 */
	#writeGroup(live: Live, group: Queued[]): void | Promise<void> {
		if (group.length === 1 || !this.store.appendMany) {
			return group.reduce<void | Promise<void>>((before, { update, origin }) => (before ? before.then(() => this.#writeNow(live, update, origin)) : this.#writeNow(live, update, origin)), undefined);
		}
		let stored: Promise<number[]>;
		try {
			if (this.#closed) throw new Error('documents are closed');
			stored = this.store.appendMany(live.name, group.map((q) => q.update));
		} catch (error) {
			throw this.#notStored(live, error);
		}
		return stored.then(
			(seqs) => group.forEach(({ update, origin }, i) => this.#apply(live, seqs[i], update, origin)),
			(error: unknown) => {
				throw this.#notStored(live, error);
			}
		);
	}

	#writeNow(live: Live, update: Uint8Array, origin: unknown): void | Promise<void> {
		let stored: number | Promise<number>;
		try {
			if (this.#closed) throw new Error('documents are closed');
			stored = this.store.append(live.name, live.order.last + 1, update);
		} catch (error) {
			throw this.#notStored(live, error);
		}
		if (!(stored instanceof Promise)) return this.#apply(live, stored, update, origin);
		return stored.then(
			(seq) => this.#apply(live, seq, update, origin),
			(error: unknown) => {
				throw this.#notStored(live, error);
			}
		);
	}

	#notStored(live: Live, error: unknown): NotStored {
		this.#options.onWriteError(error);
		// A full disk is logged once per episode where it is reported (StorageHealth), not at every retry.
		if (!isDiskFull(error)) this.logger.error('could not store a document update; it was refused, not applied', { doc: live.name, error });
		return new NotStored(error);
	}

	/** Applies an update this node stored as number `seq`, then tells the other nodes of it. */
	#apply(live: Live, seq: number, update: Uint8Array, origin: unknown): void {
		// Read back from the log by a catch-up before its own append answered: it is in memory already.
		if (this.#take(live, seq, update)) Y.applyUpdate(live.doc, update, origin);
		this.#options.feed?.tell(live.name, seq, update);
		this.#mergeWhenLong(live);
	}

	/** Counts number `seq` as in memory (false when it already was). */
	#take(live: Live, seq: number, update: Uint8Array): boolean {
		if (!live.order.take(seq)) return false;
		live.bytes += update.length;
		live.sinceCompaction++;
		return true;
	}

	#mergeWhenLong(live: Live): void {
		if (live.sinceCompaction >= this.#options.compactEvery) void this.#compact(live);
	}

	#relay(live: Live, update: Uint8Array, origin: unknown): void {
		for (const relay of live.relays) {
			try {
				relay(update, origin);
			} catch (error) {
				this.logger.error('document relay failed', { doc: live.name, error });
			}
		}
	}

	/**
	 * Merges the log into one state. The state and the sequence number it goes up to are taken together, so updates
	 * stored meanwhile (on an asynchronous log) stay in the log after it; one merge at a time per document, so an
	 * older one never lands after a newer one.
	 */
	#compact(live: Live): void | Promise<void> {
		if (live.sinceCompaction === 0 || live.compacting) return;
		const merged = live.sinceCompaction;
		const bytesBefore = live.bytes;
		const state = Y.encodeStateAsUpdate(live.doc);
		const done = () => {
			live.sinceCompaction -= merged;
			live.bytes = state.length + live.bytes - bytesBefore;
			this.#options.feed?.merged(live.name);
		};
		// The log is still whole when merging fails: merging is only an optimisation, tried again later.
		const failed = (error: unknown) => this.logger.error('could not merge a document log', { doc: live.name, error });
		let stored: void | Promise<void>;
		try {
			stored = this.store.compact(live.name, state, live.order.last, this.clock());
		} catch (error) {
			return failed(error);
		}
		if (!(stored instanceof Promise)) return done();
		live.compacting = stored.then(done, failed).finally(() => (live.compacting = null));
		return live.compacting;
	}

	#unload(live: Live): void {
		live.idle = null;
		if (live.holders > 0 || this.#live.get(live.name) !== live) return;
		if (live.writes.pending) {
			void live.writes.pending.then(() => this.#unload(live));
			return;
		}
		void this.#compact(live);
		this.#live.delete(live.name);
		this.#forget(live);
	}

	#forget(live: Live): void {
		if (live.gap) clearTimeout(live.gap);
		this.#options.feed?.unfollow(live.name);
		live.doc.destroy();
	}
}
