import type { ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import type { Config } from '../config.js';
import { expectedOrigin, isSameOrigin } from './request-origin.js';
import { networkLogo } from './network-logo.js';
import { LOGO_PATH } from '../../src/lib/shared/network.js';
import { ADDRESS_HEADER } from './client-address.js';
import { metricsEndpoint } from './metrics-endpoint.js';
import { isEmbedPath } from '../../src/lib/shared/embed.js';

/** Headers through which the SvelteKit handler learns the public origin (see sveltekitHandlerEnv). */
export const PROTO_HEADER = 'x-kuvend-proto';
export const HOST_HEADER = 'x-kuvend-host';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Browser features no page of Kuvend uses, refused to every page and anything a page might embed. */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), browsing-topics=()';

/** Sets the headers every response carries, Socket.IO's and the visitor page cache's included. */
export function securityHeaders(config: Config): (res: ServerResponse) => void {
	const headers: [string, string][] = [
		['X-Content-Type-Options', 'nosniff'],
		['Referrer-Policy', 'strict-origin-when-cross-origin'],
		['X-Frame-Options', 'DENY'],
		['Cross-Origin-Opener-Policy', 'same-origin'],
		['Permissions-Policy', PERMISSIONS_POLICY]
	];
	// Only when browsers reach Kuvend over https: sent over plain http it would be ignored, or pin a test host.
	if (config.origin?.startsWith('https:')) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
	return (res) => {
		for (const [name, value] of headers) res.setHeader(name, value);
	};
}

/**
 * What SvelteKit learns of a request through headers (see loadSvelteKitHandler): the public origin and the client
 * address are ours to state, so a client's own copy of these headers is overwritten. Only SvelteKit reads them, so
 * only requests on their way to it pay for them (a URL parsed, the proxy chain walked): not the read API's.
 */
function toSvelteKit(ctx: AppContext): RequestHandler {
	return (req, _res, next) => {
		const origin = new URL(expectedOrigin(ctx.config, req));
		req.headers[PROTO_HEADER] = origin.protocol.slice(0, -1);
		req.headers[HOST_HEADER] = origin.host;
		req.headers[ADDRESS_HEADER] = ctx.clientAddress(req);
		next();
	};
}

/**
 * Express: security headers, health, a cross-origin guard for every state-changing request, then SvelteKit. The read
 * API (/api/v1) is answered before Express (app.ts).
 */
export function createExpressApp(ctx: AppContext, sveltekit: RequestHandler | null): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', false);

	const withHeaders = securityHeaders(ctx.config);
	app.use((req, res, next) => {
		withHeaders(res);
		// Embeds are for other sites to frame: their own CSP (frame-ancestors *) says so instead (src/lib/shared/embed.ts).
		if (isEmbedPath(req.path)) res.removeHeader('X-Frame-Options');
		next();
	});

	// 503 with the reason when the database cannot write (probed by a real write every few seconds) or the server
	// is stopping, so a load balancer or a monitor sees what a member would meet.
	app.get('/healthz', (_req, res, next) => {
		res.setHeader('Cache-Control', 'no-store');
		if (ctx.lifecycle.draining) return void res.status(503).json({ status: 'restarting' });
		ctx.storage
			.status()
			.then(({ writable, reason }) => {
				if (writable) res.json({ status: 'ok', database: 'writable' });
				else res.status(503).json({ status: 'unavailable', database: 'not writable', reason });
			})
			.catch(next);
	});

	app.get(LOGO_PATH, networkLogo(ctx.services.profile));
	// Prometheus text format, from this machine or with METRICS_TOKEN (metrics-endpoint.ts).
	app.get('/metrics', metricsEndpoint(ctx));

	app.use((req, res, next) => {
		if (SAFE_METHODS.has(req.method) || isSameOrigin(ctx.config, req)) return next();
		res.status(403).type('text/plain').send('Cross-site request refused');
	});

	if (sveltekit) app.use(toSvelteKit(ctx), sveltekit);
	return app;
}
