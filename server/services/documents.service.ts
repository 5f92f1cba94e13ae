import * as Y from 'yjs';
import { isDiskFull } from '../db/storage-health.js';
import type { DocumentStore, StoredDocument } from '../db/repositories/document.repository.js';
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
	 * newcomer receives, is always stored. Throws NotStored, with nothing applied, when the write fails.
	 */
	write(update: Uint8Array, origin: unknown): void;
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
		private readonly store: Pick<DocumentStore, 'append' | 'compact' | 'quarantine'> & { load(name: string): StoredDocument | Promise<StoredDocument> },
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
			if (parts.length) live.write(Y.mergeUpdates(parts), SERVER_ORIGIN);
		} finally {
			copy.destroy();
			this.release(name);
		}
	}

	/** Merges every loaded log and lets the documents go; used at shutdown (every update is already stored). */
	close(): void {
		this.#closed = true;
		for (const live of this.#live.values()) {
			if (live.idle) clearTimeout(live.idle);
			this.#compact(live);
			live.doc.destroy();
		}
		this.#live.clear();
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
				this.store.quarantine(name, entry, String(error), this.clock());
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
			write: (update, origin) => this.#write(live, update, origin)
		};
		// Only stored updates are applied (see #write), so each one the document takes is relayed at once.
		live.doc.on('update', (update: Uint8Array, origin: unknown) => this.#relay(live, update, origin));
		this.#live.set(name, live);
		return live;
	}

	#write(live: Live, update: Uint8Array, origin: unknown): void {
		try {
			if (this.#closed) throw new Error('documents are closed');
			this.store.append(live.name, live.lastSeq + 1, update);
		} catch (error) {
			this.#options.onWriteError(error);
			// A full disk is logged once per episode where it is reported (StorageHealth), not at every retry.
			if (!isDiskFull(error)) this.logger.error('could not store a document update; it was refused, not applied', { doc: live.name, error });
			throw new NotStored(error);
		}
		live.lastSeq++;
		live.bytes += update.length;
		Y.applyUpdate(live.doc, update, origin);
		if (++live.sinceCompaction >= this.#options.compactEvery) this.#compact(live);
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

	#compact(live: Live): void {
		if (live.sinceCompaction === 0) return;
		try {
			const state = Y.encodeStateAsUpdate(live.doc);
			this.store.compact(live.name, state, live.lastSeq, this.clock());
			live.sinceCompaction = 0;
			live.bytes = state.length;
		} catch (error) {
			// The log is still whole: merging is only an optimisation, tried again later.
			this.logger.error('could not merge a document log', { doc: live.name, error });
		}
	}

	#unload(live: Live): void {
		live.idle = null;
		if (live.holders > 0 || this.#live.get(live.name) !== live) return;
		this.#compact(live);
		this.#live.delete(live.name);
		live.doc.destroy();
	}
}
