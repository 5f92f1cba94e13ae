import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import type { Metrics } from '../services/metrics.js';
import { ROUTE_HEADER } from '../../src/lib/shared/route-header.js';

/** Loopback addresses: this machine (IPv4 127/8, IPv6 ::1, and IPv4 written as IPv6). */
export function isLoopback(address: string): boolean {
	return address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

function sameSecret(given: string, expected: string): boolean {
	// Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
	const a = crypto.createHash('sha256').update(given).digest();
	const b = crypto.createHash('sha256').update(expected).digest();
	return crypto.timingSafeEqual(a, b);
}

/**
 * Who may read /metrics: anyone with `Authorization: Bearer <METRICS_TOKEN>`, or a scraper on this machine that
 * sends no token and came through no proxy (a proxy on the same host connects from loopback for everybody).
 * Refused: 401 when a token was sent or one is configured; 404 otherwise, so the endpoint is not advertised.
 */
export function metricsAccess(
	token: string | null,
	request: { address: string; authorization: string | undefined; proxied: boolean }
): 'allowed' | 'unauthorized' | 'hidden' {
	const bearer = /^Bearer (\S+)$/i.exec(request.authorization ?? '')?.[1];
	if (request.authorization !== undefined) return token !== null && bearer !== undefined && sameSecret(bearer, token) ? 'allowed' : 'unauthorized';
	if (isLoopback(request.address) && !request.proxied) return 'allowed';
	return token !== null ? 'unauthorized' : 'hidden';
}

/** GET /metrics in Prometheus text format, for those metricsAccess allows. */
export function metricsEndpoint(ctx: AppContext): RequestHandler {
	return (req, res, next) => {
		res.setHeader('Cache-Control', 'no-store');
		const access = metricsAccess(ctx.config.metricsToken, {
			address: ctx.clientAddress(req),
			authorization: req.headers.authorization,
			proxied: req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined
		});
		if (access === 'hidden') return void res.status(404).type('text/plain').send('Not found');
		if (access === 'unauthorized') return void res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized');
		ctx.metrics
			.scrape()
			.then(({ body, contentType }) => res.type(contentType).send(body))
			.catch(next);
	};
}

/** The route label of a request SvelteKit did not answer (the header it sets names its own routes). */
function labelOf(req: IncomingMessage, fixed: ReadonlySet<string>): string {
	const path = (req.url ?? '/').split('?')[0];
	if (fixed.has(path)) return path;
	if (path.startsWith('/_app/')) return '(static)';
	return '(other)';
}

const labels = new WeakMap<ServerResponse, string>();

/** Names the route of a response answered outside SvelteKit and Express (the visitor page cache). */
export function labelResponse(res: ServerResponse, route: string): void {
	labels.set(res, route);
}

/**
 * Times every request the http server answers (Socket.IO's own path aside), labelled by the SvelteKit route's
 * pattern (from its hook), a label given with labelResponse, or a fixed name. The route header is taken off before
 * the response is sent: it is for this label only.
 */
export function measureRequests(metrics: Metrics, fixedPaths: string[]): (req: IncomingMessage, res: ServerResponse) => void {
	const fixed = new Set(fixedPaths);
	return (req, res) => {
		const started = process.hrtime.bigint();
		let route: string | null = null;
		const writeHead = res.writeHead;
		res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
			const header = this.getHeader(ROUTE_HEADER);
			if (typeof header === 'string') {
				route = header;
				this.removeHeader(ROUTE_HEADER);
			}
			return writeHead.apply(this, args);
		} as ServerResponse['writeHead'];
		res.once('close', () => {
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			metrics.observeRequest(route ?? labels.get(res) ?? labelOf(req, fixed), req.method ?? 'GET', res.statusCode, seconds);
		});
	};
}
