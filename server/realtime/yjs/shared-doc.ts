import type * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { addsTo, updateProblem, type DocumentContent, type UpdateProblem, type WriteBudget } from '../../domain/document-rules.js';
import { presenceOf, type Presence } from '../../domain/presence.js';
import { SuggestionGuard } from '../../domain/suggestions.js';
import type { DocumentAccess } from '../../services/document-access.service.js';
import { NotStored, OTHER_NODE_ORIGIN, type LiveDocument, type Relay } from '../../services/documents.service.js';
import type { AwarenessFeed } from '../../services/document-feed.js';
import type { Lifecycle } from '../../lifecycle.js';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
const MAX_AWARENESS_BYTES = 16 * 1024;
const MAX_AWARENESS_CLIENTS = 8;

/** Who holds a connection: the member (null for a visitor) and how they are shown to the others. */
export interface Holder {
	memberId: number | null;
	user: Presence['user'] | null;
}

interface Connection extends Holder {
	access: DocumentAccess;
	/** Awareness client ids this connection announced, removed when it leaves. */
	clientIds: Set<number>;
}

/** Thrown for a message that does not follow the y-websocket protocol; the connection is closed, nothing else. */
export class ProtocolError extends Error {}

/**
 * Thrown for an update that is refused (not applied, stored or relayed); the writer is told why. `not_saved`: it
 * could not be stored (a full disk); `restarting`: the server is stopping. Both are sent again on reconnect.
 */
export class UpdateRefused extends Error {
	constructor(readonly problem: UpdateProblem | 'suggestions_only' | 'suggestion_not_yours' | 'rate_limited' | 'not_saved' | 'restarting') {
		super(problem);
	}
}

/**
 * The connections to one loaded document, speaking the y-websocket protocol: sync step 1/2, updates and awareness.
 * The document itself belongs to DocumentsService, which writes each update to the log and only then hands it to
 * `relay` for the connections. Read-only connections may ask for state and announce presence, never change it.
 */
export class DocRoom {
	readonly awareness: awarenessProtocol.Awareness;
	readonly conns = new Map<WebSocket, Connection>();
	readonly relay: Relay = (update) => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeUpdate(encoder, update);
		this.broadcast(encoding.toUint8Array(encoder));
	};

	/** Which connection first announced each awareness client id: no other may speak for it while it stays. */
	readonly #owners = new Map<number, WebSocket>();
	/**
	 * Updates waiting for an earlier one to be stored, on a log that answers later (PostgreSQL): each is checked
	 * against the text once the updates before it are in, as on SQLite, where nothing waits. Settles, never rejects.
	 */
	#queue: Promise<void> | null = null;
	/** Checks what suggesters and editors write (suggestions stay their authors'; see SuggestionGuard). */
	readonly #suggestions = new SuggestionGuard();
	/** The people of this document on other nodes (several nodes only). */
	#across: ReturnType<AwarenessFeed['join']> | null = null;

	constructor(
		readonly live: LiveDocument,
		private readonly writes: WriteBudget,
		/** What the document may hold (see DocumentAccessService.register). */
		private readonly content: DocumentContent,
		/** Refuses every change once the server is stopping. */
		private readonly lifecycle: Pick<Lifecycle, 'draining'>,
		private readonly clock: () => number = Date.now
	) {
		this.awareness = new awarenessProtocol.Awareness(live.doc);
		this.awareness.setLocalState(null);
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			const changed = [...added, ...updated, ...removed];
			const conn = origin instanceof Object ? this.conns.get(origin as WebSocket) : undefined;
			if (conn) {
				for (const id of added) conn.clientIds.add(id);
				for (const id of removed) conn.clientIds.delete(id);
			}
			const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(encoder, update);
			this.broadcast(encoding.toUint8Array(encoder));
			// This node's people (checked above, as they joined) go to the other nodes; theirs came from there.
			if (origin !== OTHER_NODE_ORIGIN) this.#across?.say(update);
		});
	}

	/**
	 * Shows this document's people on the other nodes that hold it and theirs here. What another node says is
	 * applied as it came: it checked its own people (see #checkedAwareness) and is trusted as the nodes trust each
	 * other's stored updates.
	 */
	joinAcross(feed: AwarenessFeed): void {
		this.#across = feed.join(
			this.live.name,
			(update) => awarenessProtocol.applyAwarenessUpdate(this.awareness, update, OTHER_NODE_ORIGIN),
			() => {
				const here = [...this.conns.values()].flatMap((c) => [...c.clientIds]).filter((id) => this.awareness.getStates().has(id));
				return here.length ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, here) : null;
			}
		);
	}

	get doc(): Y.Doc {
		return this.live.doc;
	}

	add(ws: WebSocket, access: DocumentAccess, holder: Holder): void {
		this.conns.set(ws, { ...holder, access, clientIds: new Set() });
		const sync = encoding.createEncoder();
		encoding.writeVarUint(sync, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(sync, this.doc);
		ws.send(encoding.toUint8Array(sync));
		const states = this.awareness.getStates();
		if (states.size > 0) {
			const aw = encoding.createEncoder();
			encoding.writeVarUint(aw, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]));
			ws.send(encoding.toUint8Array(aw));
		}
	}

	remove(ws: WebSocket): void {
		const conn = this.conns.get(ws);
		if (!conn) return;
		this.conns.delete(ws);
		for (const [id, owner] of this.#owners) if (owner === ws) this.#owners.delete(id);
		awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.clientIds], null);
	}

	/**
	 * Handles one binary message; throws ProtocolError when it cannot be decoded or applied. An update written to a
	 * log that answers later (PostgreSQL) returns a promise, rejected with UpdateRefused when it was not stored.
	 */
	receive(ws: WebSocket, message: Uint8Array): void | Promise<void> {
		const conn = this.conns.get(ws);
		if (!conn) return;
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			if (type === MESSAGE_SYNC) {
				return this.#receiveSync(ws, conn, decoder);
			} else if (type === MESSAGE_AWARENESS) {
				const update = decoding.readVarUint8Array(decoder);
				// Presence is a name, a colour and a cursor: a connection announces a few clients, in a few KB.
				if (update.length > MAX_AWARENESS_BYTES) throw new ProtocolError('awareness update too large');
				const announced = decoding.readVarUint(decoding.createDecoder(update));
				if (announced > MAX_AWARENESS_CLIENTS || conn.clientIds.size > MAX_AWARENESS_CLIENTS) throw new ProtocolError('too many awareness clients');
				const checked = this.#checkedAwareness(ws, conn, update);
				if (checked) awarenessProtocol.applyAwarenessUpdate(this.awareness, checked, ws);
			} else {
				throw new ProtocolError(`unknown message type ${type}`);
			}
		} catch (error) {
			throw error instanceof ProtocolError || error instanceof UpdateRefused ? error : new ProtocolError(String(error));
		}
	}

	/**
	 * The awareness update to apply in place of what a connection sent: only states for client ids it owns, each
	 * rewritten to the person the session says and their cursor (see presenceOf); null when nothing is left.
	 */
	#checkedAwareness(ws: WebSocket, conn: Connection, update: Uint8Array): Uint8Array | null {
		const decoder = decoding.createDecoder(update);
		const entries: { clientId: number; clock: number; state: string }[] = [];
		for (let n = decoding.readVarUint(decoder); n > 0; n--) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const state = presenceOf(decoding.readVarString(decoder), conn.user);
			const owner = this.#owners.get(clientId);
			if (state === undefined || (owner && owner !== ws)) continue;
			this.#owners.set(clientId, ws);
			entries.push({ clientId, clock, state: JSON.stringify(state) });
		}
		if (!entries.length) return null;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, entries.length);
		for (const { clientId, clock, state } of entries) {
			encoding.writeVarUint(encoder, clientId);
			encoding.writeVarUint(encoder, clock);
			encoding.writeVarString(encoder, state);
		}
		return encoding.toUint8Array(encoder);
	}

	#receiveSync(ws: WebSocket, conn: Connection, decoder: decoding.Decoder): void | Promise<void> {
		const kind = decoding.readVarUint(decoder);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		if (kind === syncProtocol.messageYjsSyncStep1) {
			syncProtocol.readSyncStep1(decoder, encoder, this.doc);
			ws.send(encoding.toUint8Array(encoder));
			return;
		}
		if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) {
			throw new ProtocolError(`unknown sync message ${kind}`);
		}
		const update = decoding.readVarUint8Array(decoder);
		if (this.#queue) return this.#enqueue(() => this.#take(ws, conn, kind, update));
		const taken = this.#take(ws, conn, kind, update);
		if (taken instanceof Promise) return this.#enqueue(() => taken);
	}

	#enqueue(step: () => void | Promise<void>): Promise<void> {
		const run = (this.#queue ?? Promise.resolve()).then(step);
		const settled = run.then(
			() => undefined,
			() => undefined
		);
		this.#queue = settled;
		void settled.then(() => {
			if (this.#queue === settled) this.#queue = null;
		});
		return run;
	}

	/** Checks an update against the text and writes it: stored, then applied and relayed. */
	#take(ws: WebSocket, conn: Connection, kind: number, update: Uint8Array): void | Promise<void> {
		// A reader's changes (and anyone's while the document is sealed) are dropped here, before they touch it.
		if (conn.access === 'read' || this.live.sealed > 0) return;
		if (this.lifecycle.draining) throw new UpdateRefused('restarting');
		// Checked before it touches the text: once applied, nothing could take it back out of everyone's copy.
		if (!this.writes.take(conn.memberId ?? 0, update.length, this.clock())) throw new UpdateRefused('rate_limited');
		let problem: UpdateProblem | null;
		try {
			problem = updateProblem(this.doc, update, this.live.bytes, this.content);
		} catch (error) {
			throw new ProtocolError(String(error));
		}
		if (problem) throw new UpdateRefused(problem);
		// A reconnecting client's sync step 2 mostly repeats what the document holds (all its deletions, for one):
		// not logged then. A typed update is new by nature and skips the check (it costs a third of applying one).
		if (kind === syncProtocol.messageYjsSyncStep2 && !addsTo(this.doc, update)) return;
		// A suggester's update may only add or take back their own suggestions; an editor's may put a suggestion in no
		// one else's name (both tested in drafts-suggestions.test.ts).
		const me = { id: conn.memberId ?? 0, name: conn.user?.name ?? '' };
		if (conn.access === 'suggest' && !this.#suggestions.check(this.doc, update, me)) throw new UpdateRefused('suggestions_only');
		if (conn.access === 'write' && !this.#suggestions.checkEdit(this.doc, update, me)) throw new UpdateRefused('suggestion_not_yours');
		// A truncated or garbled update throws while it is read for the check above, and the connection is closed
		// (tests/integration/drafts.test.ts sends 1,000 such messages). Stored first, then applied and relayed.
		const refused = (error: unknown) => {
			// The suggestion guard's copy may have taken this update; the text did not.
			this.#suggestions.forget();
			return error instanceof NotStored ? new UpdateRefused('not_saved') : error;
		};
		let written: void | Promise<void>;
		try {
			written = this.live.write(update, ws);
		} catch (error) {
			throw refused(error);
		}
		if (written instanceof Promise)
			return written.catch((error: unknown) => {
				throw refused(error);
			});
	}

	/** From now on this connection's changes are dropped (it is being closed because its access changed). */
	downgrade(ws: WebSocket): void {
		const conn = this.conns.get(ws);
		if (conn) conn.access = 'read';
	}

	broadcast(message: Uint8Array): void {
		for (const ws of this.conns.keys()) {
			if (ws.readyState === ws.OPEN) ws.send(message);
		}
	}

	destroy(): void {
		this.#suggestions.forget();
		this.#across?.leave();
		this.awareness.destroy();
	}
}
