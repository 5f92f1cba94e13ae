import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import { isSameOrigin, sessionTokenOf } from '../../http/request-origin.js';
import { isDomainError } from '../../../src/lib/shared/errors.js';
import { YJS_CLOSE } from '../../../src/lib/shared/realtime.js';
import { WriteBudget } from '../../domain/document-rules.js';
import { colorFor } from '../../../src/lib/shared/presence.js';
import { DocRoom, ProtocolError, UpdateRefused, type Holder } from './shared-doc.js';
import type { Authenticated } from '../../services/auth.service.js';
import type { DocumentAccess } from '../../services/document-access.service.js';

export const YJS_PATH = '/yjs/';

interface Who {
	userId: number | null;
	sessionId: string | null;
	/** How the person is shown to the others (null: a visitor, not shown). */
	user: Holder['user'];
	/** The person as their session says now (null: a visitor, or the session ended), for the access re-check. */
	reauthenticate(): Promise<Authenticated | null>;
}

/** An open connection as the access re-check sees it (server/realtime/access-recheck.ts). */
export interface YjsConnection {
	/** The same for as long as the connection is open. */
	id: object;
	name: string;
	userId: number | null;
	access: DocumentAccess;
	reauthenticate(): Promise<Authenticated | null>;
	/** What it may do from now on: more is taken at once; less closes it (null: it may not even read). */
	allow(access: DocumentAccess | null): void;
}
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Refusals with a close code of their own; any other problem closes with YJS_CLOSE.refused. */
const REFUSED_CLOSE: Partial<Record<UpdateRefused['problem'], number>> = {
	rate_limited: YJS_CLOSE.slow_down,
	out_of_sync: YJS_CLOSE.access_changed,
	not_saved: YJS_CLOSE.not_saved,
	restarting: YJS_CLOSE.restarting
};

/**
 * The Yjs websocket endpoint at /yjs/<document>. The person and their access are decided before the upgrade
 * completes; a refused connection is closed at once with a close code and never syncs.
 */
export class YjsServer {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
	readonly #rooms = new Map<string, DocRoom>();
	/** Who holds each connection, to drop it when their session ends or their access changes. */
	readonly #who = new WeakMap<WebSocket, Who>();
	/** Bumped whenever a document's connections are dropped; admissions decided before then are redone. */
	readonly #generation = new Map<string, number>();
	readonly #opening = new Map<string, Promise<DocRoom>>();
	/** Members' writes over all their connections and documents. */
	readonly #writes = new WriteBudget();
	readonly #off: () => void;

	constructor(private readonly ctx: AppContext) {
		const offs = [
			// On every node: the connections concerned may be on any of them.
			ctx.nodeEvents.on('document.access_changed', ({ name }) => this.dropDocument(name)),
			// Signed out, suspended, deleted, role changed: their connections go and must be admitted again.
			ctx.nodeEvents.on('session.revoked', ({ sessionIds }) => this.#dropWhere((w) => w.sessionId !== null && sessionIds.includes(w.sessionId)))
			// Other changes of access (role, groups, visibility) are re-checked per connection: access-recheck.ts.
		];
		this.#off = () => offs.forEach((off) => off());
	}

	/** Documents with open connections. */
	get openDocuments(): number {
		return this.#rooms.size;
	}

	/** Takes an upgrade request for /yjs/...; returns false for any other path so others may handle it. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (!url.pathname.startsWith(YJS_PATH)) return false;
		if (!isSameOrigin(this.ctx.config, req)) {
			socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return true;
		}
		// Until ws takes the socket over, a reset during the awaits below must not be an uncaught 'error'.
		const ignore = () => undefined;
		socket.on('error', ignore);
		void this.ctx.limits
			.allow('realtimeConnectsPerIp', this.ctx.clientAddress(req))
			.then((allowed) => {
				if (allowed) return this.#admit(req, socket, head, url);
				socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 60\r\nContent-Length: 0\r\n\r\n');
			})
			.catch((error: unknown) => {
				this.ctx.logger.error('document connection failed', { error });
				socket.destroy();
			})
			.finally(() => socket.off('error', ignore));
		return true;
	}

	async #admit(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
		let name: string;
		try {
			name = decodeURIComponent(url.pathname.slice(YJS_PATH.length));
		} catch {
			name = '';
		}
		let decision: { access: DocumentAccess; who: Who; generation: number } | { close: number; reason: string };
		try {
			// Read first: a drop of this document's connections after this point sends the newcomer back to be
			// admitted again (see #connect), so that a decision taken just before a freeze is not used after it.
			const generation = this.#generation.get(name) ?? 0;
			const token = sessionTokenOf(req);
			const auth = await this.ctx.services.auth.authenticate(token);
			const access = await this.ctx.services.documentAccess.authorize(auth, name);
			const user = auth ? { name: auth.viewer.displayName, color: colorFor(auth.actor.id) } : null;
			const reauthenticate = () => this.ctx.services.auth.authenticate(token);
			decision = { access, who: { userId: auth?.actor.id ?? null, sessionId: auth?.sessionId ?? null, user, reauthenticate }, generation };
		} catch (error) {
			if (isDomainError(error) && (error.code === 'unauthenticated' || error.code === 'forbidden' || error.code === 'not_found')) {
				decision = { close: YJS_CLOSE[error.code], reason: error.code };
			} else {
				this.ctx.logger.error('yjs admission failed', { error });
				socket.destroy();
				return;
			}
		}
		this.#wss.handleUpgrade(req, socket, head, (ws) => {
			if ('close' in decision) {
				ws.close(decision.close, decision.reason);
				return;
			}
			void this.#connect(ws, name, decision);
		});
	}

	/** The room of a loaded document, created once however many connect at the same time. */
	async #enter(name: string): Promise<DocRoom> {
		for (;;) {
			const room = this.#rooms.get(name) ?? (await this.#open(name));
			// The room may have emptied and closed while this connection waited for it.
			if (this.#rooms.get(name) === room) return room;
		}
	}

	#open(name: string): Promise<DocRoom> {
		let opening = this.#opening.get(name);
		if (!opening) {
			opening = (async () => {
				const room = new DocRoom(await this.ctx.services.documents.acquire(name), this.#writes, this.ctx.services.documentAccess.contentOf(name), this.ctx.lifecycle);
				// Stored updates, this node's and those another node told of (DocumentFeed), reach this room's clients.
				this.ctx.services.documents.addRelay(name, room.relay);
				// Several nodes: who is in the document, across them.
				const across = this.ctx.services.documents.feed?.presence;
				if (across) room.joinAcross(across);
				this.#rooms.set(name, room);
				return room;
			})().finally(() => this.#opening.delete(name));
			this.#opening.set(name, opening);
		}
		return opening;
	}

	#leave(room: DocRoom, ws: WebSocket): void {
		room.remove(ws);
		if (room.conns.size === 0 && this.#rooms.get(room.live.name) === room) {
			this.#rooms.delete(room.live.name);
			room.destroy();
			this.ctx.services.documents.release(room.live.name, room.relay);
		}
	}

	#receive(room: DocRoom, ws: WebSocket, data: Uint8Array): void {
		try {
			const written = room.receive(ws, data);
			// Checked and stored later (PostgreSQL): refused the same way when it was not.
			if (written) written.catch((error: unknown) => this.#failed(room, ws, error, true));
		} catch (error) {
			this.#failed(room, ws, error, false);
		}
	}

	#failed(room: DocRoom, ws: WebSocket, error: unknown, later: boolean): void {
		if (error instanceof UpdateRefused) return this.#refuse(room, ws, error);
		if (!(error instanceof ProtocolError)) {
			if (!later) throw error;
			this.ctx.logger.error('document update failed', { doc: room.live.name, error });
			return void ws.close(YJS_CLOSE.not_saved, 'not saved');
		}
		this.ctx.logger.warn('malformed yjs message', { doc: room.live.name, error: error.message });
		ws.close(YJS_CLOSE.malformed, 'malformed message');
	}

	/**
	 * Tells the writer why their update was not taken, by the close code and its reason (the editor shows it in
	 * their language). Too fast, out of step, not stored (a full disk) or the server restarting: they reconnect and
	 * send it again, so nothing typed is lost; anything else would be refused again, so they stop.
	 */
	#refuse(room: DocRoom, ws: WebSocket, refused: UpdateRefused): void {
		const who = this.#who.get(ws);
		// Not stored and restarting are the server's state, logged where it is known; the rest is about the update.
		if (refused.problem !== 'not_saved' && refused.problem !== 'restarting') {
			this.ctx.logger.warn('refused a document update', { doc: room.live.name, userId: who?.userId, problem: refused.problem });
		}
		room.downgrade(ws);
		ws.close(REFUSED_CLOSE[refused.problem] ?? YJS_CLOSE.refused, refused.problem);
	}

	async #connect(ws: WebSocket, name: string, admitted: { access: DocumentAccess; who: Who; generation: number }): Promise<void> {
		const { access } = admitted;
		// Messages that arrive while the document loads wait for it, in order.
		const early: Uint8Array[] = [];
		let room: DocRoom | null = null;
		let closed = false;
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data, isBinary) => {
			if (!isBinary) {
				ws.close(YJS_CLOSE.malformed, 'binary messages only');
				return;
			}
			const bytes = new Uint8Array(data as Buffer);
			if (room) this.#receive(room, ws, bytes);
			else early.push(bytes);
		});
		ws.on('error', () => ws.terminate());
		ws.on('close', () => {
			closed = true;
			if (room) this.#leave(room, ws);
		});
		let entered: DocRoom;
		try {
			entered = await this.#enter(name);
		} catch (error) {
			this.ctx.logger.error('could not load a document', { doc: name, error });
			ws.close(YJS_CLOSE.shutting_down, 'document unavailable');
			return;
		}
		if ((this.#generation.get(name) ?? 0) !== admitted.generation) {
			ws.close(YJS_CLOSE.access_changed, 'access changed');
			return;
		}
		entered.add(ws, access, { memberId: admitted.who.userId, user: admitted.who.user });
		this.#who.set(ws, admitted.who);
		room = entered;
		if (closed) return this.#leave(entered, ws);
		for (const message of early.splice(0)) this.#receive(entered, ws, message);
	}

	/** Drops every connection to a document (its access rules changed); clients reconnect and are admitted anew. */
	dropDocument(name: string): void {
		this.#generation.set(name, (this.#generation.get(name) ?? 0) + 1);
		const room = this.#rooms.get(name);
		if (!room) return;
		for (const ws of room.conns.keys()) {
			// Frames still in flight from a former writer must not land while the socket closes.
			room.downgrade(ws);
			ws.close(YJS_CLOSE.access_changed, 'access changed');
		}
	}

	/** Every open connection, for the access re-check. */
	*connections(): Generator<YjsConnection> {
		for (const room of this.#rooms.values()) {
			for (const [ws, conn] of room.conns) {
				const who = this.#who.get(ws);
				if (!who) continue;
				const allow = (access: DocumentAccess | null) => {
					if (access === conn.access) return;
					if (access === 'write' || (access === 'suggest' && conn.access === 'read')) return void (conn.access = access);
					// Frames still in flight from a former writer must not land while the socket closes. A former writer
					// reconnects and is admitted as a reader or suggester; one who may no longer read is refused and stays away.
					room.downgrade(ws);
					if (access) ws.close(YJS_CLOSE.access_changed, 'access changed');
					else ws.close(YJS_CLOSE.forbidden, 'forbidden');
				};
				yield { id: ws, name: room.live.name, userId: who.userId, access: conn.access, reauthenticate: who.reauthenticate, allow };
			}
		}
	}

	#dropWhere(match: (who: Who) => boolean): void {
		for (const room of this.#rooms.values()) {
			for (const ws of room.conns.keys()) {
				const who = this.#who.get(ws);
				if (!who || !match(who)) continue;
				room.downgrade(ws);
				ws.close(YJS_CLOSE.access_changed, 'access changed');
			}
		}
	}

	close(): void {
		this.#off();
		for (const room of this.#rooms.values()) for (const ws of room.conns.keys()) room.downgrade(ws);
		for (const client of this.#wss.clients) client.close(YJS_CLOSE.restarting, 'server restarting');
		this.#wss.close();
	}
}
