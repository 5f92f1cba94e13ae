import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$lib/shared/realtime';

export type KuvendSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: KuvendSocket | null = null;

/**
 * The tab's one Socket.IO connection (browser only); the session cookie authenticates it. Pages add listeners
 * and remove them when they leave; the layout closes it when the member signs out.
 */
export function sharedSocket(): KuvendSocket {
	shared ??= io({ path: '/socket.io/', withCredentials: true, transports: ['websocket', 'polling'] });
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
