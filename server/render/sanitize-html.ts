import { createRequire } from 'node:module';
import type sanitizeHtmlType from 'sanitize-html';

let loaded: typeof sanitizeHtmlType | undefined;

/**
 * sanitize-html, loaded on its first use rather than at start: with htmlparser2, domutils and entities it was the
 * largest package the server evaluated while starting (11 % of a restart's CPU, tests/bench/start.bench.ts), and
 * nothing sanitizes until a post is written or a logo uploaded. A CommonJS package, so require() keeps it synchronous.
 */
export function sanitizeHtml(html: string, options: sanitizeHtmlType.IOptions): string {
	loaded ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitizeHtmlType;
	return loaded(html, options);
}
