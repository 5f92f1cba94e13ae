/**
 * One document's writes to a log that answers later (PostgreSQL), in the order they were given. The first write goes
 * out at once; those that arrive while writes are under way wait together and go out as one group after them, in one
 * statement, so one commit (group commit): a busy document costs a round trip per group, not per keystroke, and
 * each write still settles only once it is stored and applied, or is refused with the rest of its group.
 */
export class OrderedWrites<T> {
	/** Settles when the writes under way are done (never rejects); null when none are. */
	#pending: Promise<void> | null = null;
	/** The group waiting for the writes under way, still taking writes. */
	#next: { items: T[]; written: Promise<void> } | null = null;

	constructor(private readonly writeGroup: (items: T[]) => void | Promise<void>) {}

	get pending(): Promise<void> | null {
		return this.#pending;
	}

	/** Writes `item`: at once (synchronously, when the log answers at once) if nothing is under way, else in the next group. */
	write(item: T): void | Promise<void> {
		if (this.#pending) return this.#join(item);
		const written = this.writeGroup([item]);
		return written instanceof Promise ? this.#track(written) : undefined;
	}

	#join(item: T): Promise<void> {
		if (!this.#next) {
			const group: { items: T[]; written: Promise<void> } = { items: [], written: Promise.resolve() };
			group.written = this.#track(
				this.#pending!.then(() => {
					// From here on, writes form the group after this one.
					if (this.#next === group) this.#next = null;
					return this.writeGroup(group.items);
				})
			);
			this.#next = group;
		}
		this.#next.items.push(item);
		return this.#next.written;
	}

	/** Keeps `write` as the last write under way, until it settles. */
	#track(write: Promise<void>): Promise<void> {
		const settled = write.then(
			() => undefined,
			() => undefined
		);
		this.#pending = settled;
		void settled.then(() => {
			if (this.#pending === settled) this.#pending = null;
		});
		return write;
	}
}
