import * as Y from 'yjs';
import { isDiskFull } from '../db/storage-health.js';
import type { DocumentLog } from '../db/repositories/document.repository.js';
import type { Logger } from '../logger.js';

/** Where an update came from; `SERVER` marks changes the server makes itself (an adopted amendment, minutes). */
export const SERVER_ORIGIN = Symbol('server');

/** Something that wants each persisted update of a document (the websocket endpoint relays it). */
export type Relay = (update: Uint8Array, origin: unknown) => void;

export interface LiveDocument {
	readonly name: string;
	readonly doc: Y.Doc;
	/** While sealed (count > 0), no client's change is applied (a draft being frozen: its version is taken from a still text). */
	sealed: number;
	/** About how long its state is: exact when the log was last merged, plus every update written since. */
	bytes: number;
	/**
	 * Writes an update to the log, then applies it (which relays it): what is in memory, and so what any peer or
	 * newcomer receives, is always stored. Throws NotStored, with nothing applied, when the write fails. On a log that
	 * answers later (PostgreSQL) it returns a promise instead, settled once the update is stored and applied (or
	 * rejected with NotStored); each document's updates are stored and applied in the order they were given.
	 */
	write(update: Uint8Array, origin: unknown): void | Promise<void>;
}

/** An update that could not be written (a full disk): it was not applied, so nobody has it but its writer. */
export class NotStored extends Error {
	constructor(cause: unknown) {
		super(`the update was not stored: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
	}
}

interface Live extends LiveDocument {
	holders: number;
	relays: Set<Relay>;
	/** The last sequence number in the log (or merged into the state). */
	lastSeq: number;
	sinceCompaction: number;
	idle: NodeJS.Timeout | null;
	/** Settles when the writes still under way on an asynchronous log are done (never rejects); null when none are. */
	pending: Promise<void> | null;
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
}

const DEFAULTS: DocumentsOptions = { idleMs: 30_000, compactEvery: 500, onWriteError: () => undefined };

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

	constructor(
		private readonly store: DocumentLog,
		private readonly logger: Logger,
		options: Partial<DocumentsOptions> = {},
		private readonly clock: () => number = Date.now
	) {
		this.#options = { ...DEFAULTS, ...options };
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
			await live.pending;
			await live.compacting;
			await this.#compact(live);
			live.doc.destroy();
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
		const built = await this.#build(name);
		const live: Live = {
			name,
			doc: built.doc,
			holders: 0,
			relays: new Set(),
			sealed: 0,
			bytes: built.bytes,
			lastSeq: built.lastSeq,
			sinceCompaction: built.count,
			idle: null,
			pending: null,
			compacting: null,
			write: (update, origin) => this.#write(live, update, origin)
		};
		// Only stored updates are applied (see #write), so each one the document takes is relayed at once.
		live.doc.on('update', (update: Uint8Array, origin: unknown) => this.#relay(live, update, origin));
		this.#live.set(name, live);
		return live;
	}

	/** Stores then applies an update: at once on a synchronous log, else after the document's writes under way. */
	#write(live: Live, update: Uint8Array, origin: unknown): void | Promise<void> {
		if (live.pending) return this.#track(live, live.pending.then(() => this.#writeNow(live, update, origin)));
		const written = this.#writeNow(live, update, origin);
		return written instanceof Promise ? this.#track(live, written) : undefined;
	}

	#writeNow(live: Live, update: Uint8Array, origin: unknown): void | Promise<void> {
		let stored: void | Promise<void>;
		try {
			if (this.#closed) throw new Error('documents are closed');
			stored = this.store.append(live.name, live.lastSeq + 1, update);
		} catch (error) {
			throw this.#notStored(live, error);
		}
		if (!(stored instanceof Promise)) return this.#apply(live, update, origin);
		return stored.then(
			() => this.#apply(live, update, origin),
			(error: unknown) => {
				throw this.#notStored(live, error);
			}
		);
	}

	/** Keeps `write` as the document's last write under way, until it settles. */
	#track(live: Live, write: Promise<void>): Promise<void> {
		const settled = write.then(
			() => undefined,
			() => undefined
		);
		live.pending = settled;
		void settled.then(() => {
			if (live.pending === settled) live.pending = null;
		});
		return write;
	}

	#notStored(live: Live, error: unknown): NotStored {
		this.#options.onWriteError(error);
		// A full disk is logged once per episode where it is reported (StorageHealth), not at every retry.
		if (!isDiskFull(error)) this.logger.error('could not store a document update; it was refused, not applied', { doc: live.name, error });
		return new NotStored(error);
	}

	#apply(live: Live, update: Uint8Array, origin: unknown): void {
		live.lastSeq++;
		live.bytes += update.length;
		Y.applyUpdate(live.doc, update, origin);
		if (++live.sinceCompaction >= this.#options.compactEvery) void this.#compact(live);
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
		};
		// The log is still whole when merging fails: merging is only an optimisation, tried again later.
		const failed = (error: unknown) => this.logger.error('could not merge a document log', { doc: live.name, error });
		let stored: void | Promise<void>;
		try {
			stored = this.store.compact(live.name, state, live.lastSeq, this.clock());
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
		if (live.pending) {
			void live.pending.then(() => this.#unload(live));
			return;
		}
		void this.#compact(live);
		this.#live.delete(live.name);
		live.doc.destroy();
	}
}
