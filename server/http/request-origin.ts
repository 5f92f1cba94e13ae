import type { IncomingMessage } from 'node:http';
import { parse as parseCookie } from 'cookie';
import type { Config } from '../config.js';
import { SESSION_COOKIE } from '../../src/lib/shared/session.js';

/** The origin this request was made to: the configured public origin, or (port 0 in tests) the Host header. */
export function expectedOrigin(config: Config, req: IncomingMessage): string {
	return config.origin ?? `http://${req.headers.host ?? 'localhost'}`;
}

/**
 * Same-origin check for state-changing requests and websocket upgrades. A request without an Origin header is not
 * a browser's cross-site request (browsers always send Origin on POST and on websocket upgrades).
 */
export function isSameOrigin(config: Config, req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	return origin === undefined || origin === expectedOrigin(config, req);
}

export function sessionTokenOf(req: IncomingMessage): string | null {
	const header = req.headers.cookie;
	if (!header) return null;
	try {
		return parseCookie(header)[SESSION_COOKIE] ?? null;
	} catch {
		return null;
	}
}
