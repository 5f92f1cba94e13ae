/**
 * Where a node stands in one document's update log (several nodes): the numbers it holds in memory and the other
 * nodes' updates waiting for one before them. Pure bookkeeping; DocumentsService applies what it says.
 * - `last`: every number up to it is in memory (or merged into the state);
 * - numbers beyond `last` already held (this node's own, stored while another node's came in between);
 * - other nodes' updates told before one they follow, applied once it comes.
 */
export class LogOrder<T> {
	readonly #ahead = new Set<number>();
	readonly #waiting = new Map<number, T>();

	constructor(public last: number) {}

	/** Whether number `seq` is in memory already. */
	holds(seq: number): boolean {
		return seq <= this.last || this.#ahead.has(seq);
	}

	/** Counts `seq` as in memory (false when it already was); `last` moves on over every number held without a gap. */
	take(seq: number): boolean {
		if (this.holds(seq)) return false;
		this.#waiting.delete(seq);
		if (seq !== this.last + 1) {
			this.#ahead.add(seq);
			return true;
		}
		this.#reach(seq);
		return true;
	}

	/** Everything up to `seq` is in memory now (a merged state, or the end of a read of the log). */
	reach(seq: number): void {
		if (seq > this.last) this.#reach(seq);
	}

	/** Keeps another node's update until the ones before it come. */
	wait(seq: number, item: T): void {
		this.#waiting.set(seq, item);
	}

	/** The waiting update that comes next, if it is here. */
	next(): T | undefined {
		return this.#waiting.get(this.last + 1);
	}

	get waiting(): number {
		return this.#waiting.size;
	}

	#reach(seq: number): void {
		this.last = seq;
		for (const held of this.#ahead) if (held <= seq) this.#ahead.delete(held);
		while (this.#ahead.delete(this.last + 1)) this.last++;
		for (const waited of this.#waiting.keys()) if (waited <= this.last) this.#waiting.delete(waited);
	}
}
