import type { IncomingMessage } from 'node:http';
import express from 'express';
import type { Config } from '../config.js';

/**
 * The header through which the SvelteKit handler learns the client address (adapter-node's ADDRESS_HEADER). Every
 * request that reaches SvelteKit has it set by Express from clientAddressOf, whatever the client sent.
 */
export const ADDRESS_HEADER = 'x-kuvend-client-address';

// Express computes `req.ip` from its 'trust proxy' setting with proxy-addr; this getter is that code, taken as is.
const ipGetter: () => unknown = (() => {
	const get = Object.getOwnPropertyDescriptor(express.request, 'ip')?.get;
	if (!get) throw new Error("Express's request has no ip getter");
	return get;
})();

/**
 * The one place a client address is decided, for HTTP requests, Socket.IO handshakes and Yjs upgrades alike: the
 * connection's own address, or with TRUST_PROXY the nearest X-Forwarded-For entry not added by a trusted proxy.
 */
export type ClientAddressOf = (req: IncomingMessage) => string;

export function clientAddressResolver(trustProxy: Config['trustProxy']): ClientAddressOf {
	const settings = express();
	settings.set('trust proxy', trustProxy === false ? false : Array.isArray(trustProxy) ? [...trustProxy] : trustProxy);
	return (req) => {
		// Only what proxy-addr reads: the headers and the socket. A closed socket has no address left.
		const view = { app: settings, headers: req.headers, socket: req.socket, connection: req.socket };
		return (ipGetter.call(view) as string | undefined) ?? 'unknown';
	};
}
