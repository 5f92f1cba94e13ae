import { LRUCache } from 'lru-cache';

/**
 * Answers kept until what they were made from changes: `invalidate` empties the cache and moves its version on, and
 * an answer made while the version moved is not kept (`set` with the version read before making it). Bounded in
 * bytes, keys included (one entry an eighth of the room at most: a huge one does not push out every other), least recently used
 * out first, each entry at most `ttlMs` old.
 */
export class VersionedCache<V extends object> {
	#version = 0;
	readonly #entries: LRUCache<string, V>;

	constructor(options: { maxBytes: number; ttlMs: number; sizeOf: (value: V) => number; clock?: () => number }) {
		this.#entries = new LRUCache<string, V>({
			maxSize: options.maxBytes,
			maxEntrySize: options.maxBytes / 8,
			// The key counts too: a visitor's address can be long (a page's URL), and could otherwise fill memory uncounted.
			sizeCalculation: (value, key) => Math.max(1, options.sizeOf(value) + key.length),
			ttl: options.ttlMs,
			// Ages read the clock each time (no cached "now"), so an injected clock is the only clock.
			ttlResolution: 0,
			perf: { now: options.clock ?? Date.now }
		});
	}

	get version(): number {
		return this.#version;
	}

	invalidate(): void {
		this.#version++;
		this.#entries.clear();
	}

	get(key: string): V | undefined {
		return this.#entries.get(key);
	}

	/** Keeps a value made from the data as it was at `version` (read before making it). */
	set(key: string, version: number, value: V): void {
		if (version === this.#version) this.#entries.set(key, value);
	}

	get size(): number {
		return this.#entries.size;
	}
}
