import { io, type Socket } from 'socket.io-client';
import { VISITOR_HANDSHAKE, type ClientToServerEvents, type ServerToClientEvents } from '$lib/shared/realtime';

export type KuvendSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: KuvendSocket | null = null;
let sharedAsVisitor = false;

/**
 * The tab's one Socket.IO connection (browser only); the session cookie authenticates it. Pages add listeners
 * and remove them when they leave; the layout closes it when the member signs out. `visitor`: a tab without a
 * session says so, to follow what visitors may (a public meeting's projector); a different answer than the open
 * connection's makes a new one, so a visitor who signs in is connected as themselves.
 */
export function sharedSocket(opts: { visitor?: boolean } = {}): KuvendSocket {
	if (shared && opts.visitor !== undefined && opts.visitor !== sharedAsVisitor) closeSharedSocket();
	if (!shared) {
		sharedAsVisitor = opts.visitor ?? false;
		shared = io({ path: '/socket.io/', withCredentials: true, transports: ['websocket', 'polling'], auth: sharedAsVisitor ? { ...VISITOR_HANDSHAKE } : {} });
	}
	return shared;
}

export function closeSharedSocket(): void {
	shared?.disconnect();
	shared = null;
}

/** Runs `fn` now if connected and again after every reconnect (rooms are per connection). */
export function onConnected(socket: KuvendSocket, fn: () => void): () => void {
	if (socket.connected) fn();
	socket.on('connect', fn);
	return () => socket.off('connect', fn);
}
