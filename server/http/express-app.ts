import type { ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { expectedOrigin, isSameOrigin } from './request-origin.js';

/** Headers through which the SvelteKit handler learns the public origin (see sveltekitHandlerEnv). */
export const PROTO_HEADER = 'x-kuvend-proto';
export const HOST_HEADER = 'x-kuvend-host';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The headers every response carries. */
export function securityHeaders(res: ServerResponse): void {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
	res.setHeader('X-Frame-Options', 'DENY');
	res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Express: security headers, health, a cross-origin guard for every state-changing request, then SvelteKit. */
export function createExpressApp(ctx: AppContext, sveltekit: RequestHandler | null): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', false);

	app.use((req, res, next) => {
		securityHeaders(res);
		// The public origin is ours to state: never trust a client's copy of these headers.
		const origin = new URL(expectedOrigin(ctx.config, req));
		req.headers[PROTO_HEADER] = origin.protocol.slice(0, -1);
		req.headers[HOST_HEADER] = origin.host;
		next();
	});

	app.get('/healthz', (_req, res) => {
		res.setHeader('Cache-Control', 'no-store');
		res.json({ status: 'ok' });
	});

	app.use((req, res, next) => {
		if (SAFE_METHODS.has(req.method) || isSameOrigin(ctx.config, req)) return next();
		res.status(403).type('text/plain').send('Cross-site request refused');
	});

	if (sveltekit) app.use(sveltekit);
	return app;
}
