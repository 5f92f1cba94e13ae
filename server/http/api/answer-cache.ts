import type { EventBus } from '../../events/bus.js';
import type { Authenticated } from '../../services/auth.service.js';
import { EVERY_NODE_EVENTS, type NodeEvents } from '../../shared-state.js';
import type { Locale } from '../../../src/lib/shared/types.js';
import { VersionedCache } from '../versioned-cache.js';

export interface CachedAnswer {
	/** The JSON, as the bytes sent. */
	body: Buffer;
	etag: string;
}

/**
 * What an answer is made from, as its key: the endpoint, its parsed parameters (which drop what the endpoint does not
 * read: anything added to a query string is no entry of its own), the language, and who reads — nobody, or a
 * token's member whole as the token was looked up for this very request. A member's answer holds what that member
 * may read, so it is theirs alone; with their role, status or name changed it is another key; and a revoked token,
 * or a suspended member's, is refused before the cache is asked (router.ts).
 */
export function answerKey(endpoint: string, params: unknown, query: unknown, locale: Locale, reader: Authenticated | null): string {
	return JSON.stringify([endpoint, params, query, locale, reader]);
}

/**
 * The read API's answers, kept until anything changes: any event on this node's bus and any event told from another
 * node empties it, and an entry also expires after `ttlMs`, a bound on what changes without an event here (a meeting
 * passing from upcoming to past with the clock; on several nodes, events that are not told across). An answer
 * computed while something changed is not kept (its version is stale). What a member may read changes only with an
 * event (access.changed, user.access_changed, group.changed: the same the open sockets and documents follow), so
 * members' answers are kept too, each for its reader (answerKey). Bounded in bytes, least recently used out first.
 *
 * Computing a page of the register costs ~0.5 ms of the one thread (its queries and their rows ~0.35, the zod schema
 * ~0.08, JSON ~0.07, the ETag's hash ~0.015); a kept answer costs ~0.1-0.2 ms a request in all, most of it Node's
 * HTTP (tests/bench/api.bench.ts).
 */
export class AnswerCache extends VersionedCache<CachedAnswer> {
	constructor(maxBytes = 16 * 1024 * 1024, ttlMs = 10_000) {
		super({ maxBytes, ttlMs, sizeOf: (a) => a.body.length });
	}

	/** Empties the cache on any change, here or on another node. Returns the unsubscriber. */
	follow(bus: EventBus, nodes: Pick<NodeEvents, 'on'>): () => void {
		const offs = [bus.onAny(() => this.invalidate()), ...EVERY_NODE_EVENTS.map((event) => nodes.on(event, () => this.invalidate()))];
		return () => offs.forEach((off) => off());
	}
}
