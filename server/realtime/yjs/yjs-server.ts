import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import { isSameOrigin, sessionTokenOf } from '../../http/request-origin.js';
import { isDomainError } from '../../../src/lib/shared/errors.js';
import { YJS_CLOSE } from '../../../src/lib/shared/realtime.js';
import { ProtocolError, SharedDoc } from './shared-doc.js';

export const YJS_PATH = '/yjs/';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * The Yjs websocket endpoint at /yjs/<document>. The person and their access are decided before the upgrade
 * completes; a refused connection is closed at once with a close code and never syncs.
 */
export class YjsServer {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
	readonly #docs = new Map<string, SharedDoc>();

	constructor(private readonly ctx: AppContext) {}

	/** Number of documents held in memory. */
	get loadedDocuments(): number {
		return this.#docs.size;
	}

	/** Takes an upgrade request for /yjs/...; returns false for any other path so others may handle it. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (!url.pathname.startsWith(YJS_PATH)) return false;
		if (!isSameOrigin(this.ctx.config, req)) {
			socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return true;
		}
		void this.#admit(req, socket, head, url);
		return true;
	}

	async #admit(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
		let name: string;
		try {
			name = decodeURIComponent(url.pathname.slice(YJS_PATH.length));
		} catch {
			name = '';
		}
		let decision: { access: 'write' | 'read' } | { close: number; reason: string };
		try {
			const auth = await this.ctx.services.auth.authenticate(sessionTokenOf(req));
			decision = { access: await this.ctx.services.documents.authorize(auth, name) };
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
			this.#connect(ws, name, decision.access);
		});
	}

	#connect(ws: WebSocket, name: string, access: 'write' | 'read'): void {
		let doc = this.#docs.get(name);
		if (!doc) {
			doc = new SharedDoc(name);
			this.#docs.set(name, doc);
		}
		const shared = doc;
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data, isBinary) => {
			if (!isBinary) {
				ws.close(YJS_CLOSE.malformed, 'binary messages only');
				return;
			}
			try {
				shared.receive(ws, new Uint8Array(data as Buffer));
			} catch (error) {
				if (!(error instanceof ProtocolError)) throw error;
				this.ctx.logger.warn('malformed yjs message', { doc: name, error: error.message });
				ws.close(YJS_CLOSE.malformed, 'malformed message');
			}
		});
		ws.on('error', () => ws.terminate());
		ws.on('close', () => {
			shared.remove(ws);
			if (shared.conns.size === 0 && this.#docs.get(name) === shared) {
				this.#docs.delete(name);
				shared.destroy();
			}
		});
		shared.add(ws, access);
	}

	close(): void {
		for (const client of this.#wss.clients) client.close(YJS_CLOSE.shutting_down, 'server shutting down');
		this.#wss.close();
	}
}
