import type { RequestEvent } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';

/** Public forum pages whose content is the same for every visitor in a language. */
const CACHED_ROUTES = new Set(['/forum', '/forum/[category]', '/forum/t/[id=id]', '/forum/p/[id=id]']);

/**
 * Keeps a visitor's rendering of a public forum page in the page cache (server/http/page-cache.ts), from which the
 * server answers the same request next time before Express and SvelteKit (serveCachedPage in server/app.ts).
 * Anyone with a session cookie — valid or not — is rendered afresh. The CSP is hash-based (svelte.config.js), so a
 * kept page's policy stays true to its body.
 */
export async function cachedForVisitors(event: RequestEvent, render: () => Response | Promise<Response>): Promise<Response> {
	const { request } = event;
	if (request.method !== 'GET' || event.locals.auth || !CACHED_ROUTES.has(event.route.id ?? '')) return render();
	const cache = appContext().pageCache;
	const raw = new URL(request.url);
	const key = cache.keyOf(raw.pathname + raw.search, request.headers.get('cookie'), request.headers.get('accept-language'));
	if (key === null) return render();
	const hit = cache.get(key);
	if (hit) return new Response(hit.body.slice(), { status: hit.status, headers: hit.headers });
	const version = cache.version;
	const response = await render();
	if (response.status !== 200 || response.headers.has('set-cookie')) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = [...response.headers];
	cache.set(key, version, { status: response.status, headers, body });
	return new Response(body.slice(), { status: response.status, headers });
}
