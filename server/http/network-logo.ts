import type { RequestHandler } from 'express';
import type { NetworkProfileService } from '../services/network-profile.service.js';

/**
 * Nothing in a logo may run, load or be read as another type: even a sanitised SVG opened on its own is sandboxed
 * and may only use inline styles.
 */
export const LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * Serves the network's logo with the type its bytes were checked as. Pages link it with `?v=<etag>`: that address
 * never changes content, so it is kept for a year; the bare address is revalidated by its ETag each time.
 */
export function networkLogo(profile: NetworkProfileService): RequestHandler {
	return (req, res) => {
		const logo = profile.logo();
		res.setHeader('X-Content-Type-Options', 'nosniff');
		res.setHeader('Content-Security-Policy', LOGO_CSP);
		if (!logo) return void res.status(404).type('text/plain').send('No logo');
		const etag = `"${logo.etag}"`;
		res.setHeader('ETag', etag);
		res.setHeader('Cache-Control', req.query.v === logo.etag ? 'public, max-age=31536000, immutable' : 'public, no-cache');
		if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return void res.status(304).end();
		res.setHeader('Content-Type', logo.type);
		res.setHeader('Content-Length', String(logo.bytes.length));
		res.status(200).end(req.method === 'HEAD' ? undefined : logo.bytes);
	};
}
