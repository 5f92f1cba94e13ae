import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

/** A WebSocket class that sends a browser's cookie and Origin (y-websocket takes the class, not options). */
function withCookie(cookie: string, origin: string) {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin } });
		}
	};
}

/** Every provider this test file made: see destroyProvidersLeft (destroying one twice does nothing). */
const made = new Set<WebsocketProvider>();

/** A y-websocket provider connected to the real server as a signed-in browser would be. */
export function provider(base: string, doc: Y.Doc, name: string, cookie: string, opts: { connect?: boolean } = {}): WebsocketProvider {
	const p = new WebsocketProvider(`${base.replace('http', 'ws')}/yjs`, name, doc, {
		WebSocketPolyfill: withCookie(cookie, base) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		connect: opts.connect ?? true
	});
	made.add(p);
	return p;
}

/**
 * Destroys the providers a test file left (tests/integration/helpers/file-setup.ts): test files share a process
 * (vitest.config.ts), and a provider left reconnects for ever, to whatever later server is given its old port.
 */
export function destroyProvidersLeft(): void {
	for (const p of made) p.destroy();
	made.clear();
}

export const synced = (p: WebsocketProvider) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())));

/** A document opened as `cookie`'s browser would, once synced; its provider is kept in `kept` (destroyed after the tests). */
export async function openDocument(base: string, name: string, cookie: string, kept: WebsocketProvider[]): Promise<{ doc: Y.Doc; p: WebsocketProvider }> {
	const doc = new Y.Doc();
	const p = provider(base, doc, name, cookie);
	kept.push(p);
	await synced(p);
	return { doc, p };
}

/** Opens a raw websocket and returns the close code the server sends (or the HTTP status of a refused upgrade). */
export function closeCode(base: string, path: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve) => {
		const ws = new WebSocket(`${base.replace('http', 'ws')}${path}`, { headers });
		ws.on('close', (code) => resolve(code));
		ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
		ws.on('error', () => undefined);
	});
}

/** Writes paragraphs into a document the way the editor's binding does (ProseMirror nodes as Y.XmlElements). */
export function writeParagraphs(doc: Y.Doc, texts: string[]) {
	const fragment = doc.getXmlFragment('default');
	doc.transact(() => {
		for (const t of texts) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(t)]);
			fragment.insert(fragment.length, [p]);
		}
	});
}
