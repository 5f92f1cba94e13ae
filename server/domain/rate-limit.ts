/** A sliding-window counter: at most `limit` hits per `windowMs` for one key. Pure; the clock is passed in. */
export interface RateRule {
	limit: number;
	windowMs: number;
}

export class SlidingWindow {
	readonly #hits = new Map<string, number[]>();

	constructor(readonly rule: RateRule) {}

	/** Milliseconds until another hit is allowed for `key`, or 0 when one is allowed now. */
	waitFor(key: string, now: number): number {
		const recent = this.#recent(key, now);
		return recent.length < this.rule.limit ? 0 : recent[0] + this.rule.windowMs - now;
	}

	hit(key: string, now: number): void {
		const recent = this.#recent(key, now);
		recent.push(now);
		this.#hits.set(key, recent);
	}

	/** Takes back one hit made at `at` (a reservation released): the count is as if it had never been made. */
	unhit(key: string, at: number): void {
		const hits = this.#hits.get(key);
		const i = hits?.lastIndexOf(at) ?? -1;
		if (i >= 0) hits!.splice(i, 1);
	}

	reset(key: string): void {
		this.#hits.delete(key);
	}

	clear(): void {
		this.#hits.clear();
	}

	/** Drops keys with no hits inside the window, so memory stays bounded by recent traffic. */
	sweep(now: number): void {
		for (const key of this.#hits.keys()) if (this.#recent(key, now).length === 0) this.#hits.delete(key);
	}

	#recent(key: string, now: number): number[] {
		const hits = this.#hits.get(key) ?? [];
		const from = now - this.rule.windowMs;
		let i = 0;
		while (i < hits.length && hits[i] <= from) i++;
		return i ? hits.slice(i) : hits;
	}
}
