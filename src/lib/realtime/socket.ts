import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$lib/shared/realtime';

export type KuvendSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The browser's one Socket.IO connection; the session cookie authenticates it. */
export function connectSocket(): KuvendSocket {
	return io({ path: '/socket.io/', withCredentials: true, transports: ['websocket', 'polling'] });
}
