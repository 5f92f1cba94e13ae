import type { EventBus } from '../../events/bus.js';
import { EVERY_NODE_EVENTS, type NodeEvents } from '../../shared-state.js';
import { VersionedCache } from '../versioned-cache.js';

export interface CachedAnswer {
	/** The JSON, as the bytes sent. */
	body: Buffer;
	etag: string;
}

/**
 * The read API's answers to visitors (no token), kept until anything changes: any event on this node's bus and any
 * event told from another node empties it, and an entry also expires after `ttlMs`, a bound on what changes without
 * an event here (a meeting passing from upcoming to past with the clock; on several nodes, events that are not told
 * across). An answer computed while something changed is not kept (its version is stale). Members' answers (with a
 * token) are never kept: they depend on who asks. Bounded in bytes, least recently used out first.
 *
 * A visitor's answer costs ~8 ms of the one thread (queries, the zod schema, JSON, the ETag's hash); a kept one
 * costs what Express does (tests/bench/api.bench.ts).
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
