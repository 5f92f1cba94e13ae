import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type { EveryNodeEvent, NodeEvents } from '../shared-state.js';
import { VersionedCache } from './versioned-cache.js';
import { LOCALE_COOKIE, SESSION_COOKIE } from '../../src/lib/shared/session.js';
import { TIME_ZONE_COOKIE } from '../../src/lib/shared/time.js';

export interface CachedPage {
	status: number;
	headers: [string, string][];
	body: Uint8Array;
}

/** Events after which a page a visitor sees may read differently (posts, threads, authors' names and status). */
export const CONTENT_EVENTS: EveryNodeEvent[] = [
	'forum.post_created',
	'forum.post_updated',
	'forum.post_deleted',
	'forum.reactions_changed',
	'forum.thread_changed',
	'fields.changed',
	'user.profile_changed',
	// Every page's footer and title carry the network's name.
	'network.profile_changed',
	'user.access_changed',
	'group.changed',
	// A space or a draft no longer public must not stay readable from the cache.
	'access.changed'
];

/**
 * Finished public pages as visitors (no session) see them, kept until the content changes: any content event
 * empties the cache, and an entry also expires after `ttlMs` as a bound on anything that changes without an event.
 * A page rendered while the content changed is not kept (its version is stale). Bounded in bytes, least recently
 * used out first (lru-cache). Members' pages are never cached: they carry unread marks, their own reactions and controls.
 *
 * This is what lets a public thread shared widely be served at the speed of the network rather than of rendering
 * (tests/bench/forum.bench.ts); each node keeps its own, emptied by a change on any node (NodeEvents).
 */
export class PageCache extends VersionedCache<CachedPage> {
	constructor(maxBytes = 32 * 1024 * 1024, ttlMs = 60_000, clock: () => number = Date.now) {
		super({ maxBytes, ttlMs, sizeOf: (page) => page.body.byteLength, clock });
	}

	/** Empties the cache when content changes, on whichever node it changed. Returns the unsubscriber. */
	follow(events: Pick<NodeEvents, 'on'>): () => void {
		const offs = CONTENT_EVENTS.map((event) => events.on(event, () => this.invalidate()));
		return () => offs.forEach((off) => off());
	}

	/** visitorKey, for the SvelteKit side (which reaches server code through the context only). */
	keyOf(pathAndQuery: string, cookieHeader: string | null | undefined, acceptLanguage: string | null | undefined): string | null {
		return visitorKey(pathAndQuery, cookieHeader, acceptLanguage);
	}
}

/**
 * What a visitor's page depends on besides the content: the path and query, what decides the language (the
 * language cookie, else Accept-Language) and the time zone its times are shown in (the zone cookie). Null for anyone with a session cookie. The same inputs give the same key
 * at the front door (serveCachedPage) and where SvelteKit stores the page (src/lib/server/visitor-cache.ts).
 */
export function visitorKey(pathAndQuery: string, cookieHeader: string | null | undefined, acceptLanguage: string | null | undefined): string | null {
	const cookies = cookieHeader ? parseCookies(cookieHeader) : {};
	if (cookies[SESSION_COOKIE]) return null;
	return `${pathAndQuery}\n${cookies[LOCALE_COOKIE] ?? ''}\n${acceptLanguage ?? ''}\n${cookies[TIME_ZONE_COOKIE] ?? ''}`;
}

/**
 * Answers a visitor's GET from the cache before Express and SvelteKit see it; false when there is nothing kept.
 * `baseHeaders` sets the headers every response carries (the security headers).
 */
export function serveCachedPage(cache: PageCache, req: IncomingMessage, res: ServerResponse, baseHeaders: (res: ServerResponse) => void): boolean {
	if (req.method !== 'GET' || cache.size === 0 || !req.url) return false;
	const key = visitorKey(req.url, req.headers.cookie, req.headers['accept-language']);
	const hit = key === null ? undefined : cache.get(key);
	if (!hit) return false;
	baseHeaders(res);
	for (const [name, value] of hit.headers) res.setHeader(name, value);
	res.writeHead(hit.status);
	res.end(hit.body);
	return true;
}
