import type { Locale } from './types.js';

/** Events the server sends to browsers over Socket.IO, declared once for both sides. */
export interface ServerToClientEvents {
	/** This session was ended elsewhere (sign-out everywhere, revoked from settings): the tab should leave. */
	'auth:signed-out': (payload: { reason: 'signed_out' | 'signed_out_everywhere' }) => void;
	/** The member chose another language in another tab or device. */
	'me:locale': (payload: { locale: Locale }) => void;
}

/** Events browsers send; each is answered by an Ack (see errors.ts). None are needed by the foundation yet. */
export type ClientToServerEvents = Record<never, never>;

/** Socket.IO close reasons the browser client understands. */
export const SOCKET_ERRORS = { unauthenticated: 'unauthenticated' } as const;

/** Close codes of the Yjs endpoint (4000-4999 is the application range of RFC 6455). */
export const YJS_CLOSE = {
	unauthenticated: 4401,
	forbidden: 4403,
	not_found: 4404,
	malformed: 4400,
	too_large: 1009,
	shutting_down: 1001
} as const;
