/** What the documents service hands out: a live document, where its updates go, and why one was refused. */
import type * as Y from 'yjs';

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
