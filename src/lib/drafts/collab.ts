import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';

/** What is selected in the editor, with the anchors a comment or an amendment on it would keep. */
export interface Selection {
	from: number;
	to: number;
	text: string;
	anchors: { start: string; end: string } | null;
}

/**
 * A WebSocket that, asked to close while it is still connecting, closes once it is open instead. Closing a
 * connecting socket makes Chromium print "WebSocket is closed before the connection is established" — which
 * happens whenever an editor is torn down (a client-side navigation, a freeze re-creating it) between mount and
 * handshake. The provider has already detached its handlers before it calls close(), so nothing reaches it after.
 * Made on first use: the server renders this module too, and has no WebSocket global to extend.
 */
let PatientSocket: typeof WebSocket | null = null;
function patientSocket(): typeof WebSocket {
	PatientSocket ??= class extends WebSocket {
		close(code?: number, reason?: string) {
			if (this.readyState !== WebSocket.CONNECTING) return super.close(code, reason);
			this.addEventListener('open', () => super.close(code, reason), { once: true });
		}
	};
	return PatientSocket;
}

/** A Yjs document connected to Kuvend's endpoint at /yjs/<name> (the cookie authenticates the upgrade). */
export function connect(name: string): { doc: Y.Doc; provider: WebsocketProvider } {
	const doc = new Y.Doc();
	const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
	const provider = new WebsocketProvider(url, name, doc, { disableBc: true, maxBackoffTime: 5000, WebSocketPolyfill: patientSocket() });
	return { doc, provider };
}

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

interface SyncState {
	type: Y.XmlFragment;
	binding: { mapping: Map<Y.AbstractType<unknown>, unknown> } | null;
}

function syncState(state: EditorState): SyncState | null {
	const s = ySyncPluginKey.getState(state) as SyncState | undefined;
	return s?.binding ? s : null;
}

/** Anchors (Yjs relative positions, base64) for an editor range: they stay on their words while others edit. */
export function anchorsFor(state: EditorState, from: number, to: number): { start: string; end: string } | null {
	const s = syncState(state);
	if (!s?.binding) return null;
	// Start sticks to the following character and end to the preceding one, so edits at the edges stay outside.
	const start = absolutePositionToRelativePosition(from, s.type, s.binding.mapping as never);
	const end = absolutePositionToRelativePosition(to, s.type, s.binding.mapping as never);
	end.assoc = -1;
	return { start: toB64(Y.encodeRelativePosition(start)), end: toB64(Y.encodeRelativePosition(end)) };
}

/** The editor range of two anchors now, or null when the passage was deleted. */
export function rangeOf(state: EditorState, doc: Y.Doc, start: string, end: string): { from: number; to: number } | null {
	const s = syncState(state);
	if (!s?.binding) return null;
	try {
		const from = relativePositionToAbsolutePosition(doc, s.type, Y.decodeRelativePosition(fromB64(start)), s.binding.mapping as never);
		const to = relativePositionToAbsolutePosition(doc, s.type, Y.decodeRelativePosition(fromB64(end)), s.binding.mapping as never);
		return from !== null && to !== null && to > from ? { from, to } : null;
	} catch {
		return null;
	}
}
