import type { BallotBox, BallotJob, CastEntry, CastRefusal, CloseEntry, CloseRefusal } from '../db/repositories/ballot-box.repository.js';
import type { VoteResult } from '../../src/lib/shared/votes.js';

/** What a written batch changed, told once per batch after its transaction. */
export interface WrittenBatch {
	/** Votes that took casts (and did not close in the same batch). */
	cast: number[];
	/** Votes this batch closed. */
	closed: number[];
	/** Ballots this batch took (cast or changed), over all votes: a number only. */
	ballots: number;
}

interface Queued {
	job: BallotJob;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

/**
 * The one writer of ballots: casts and closes are queued and written in batches, in arrival order, each batch one
 * transaction on the ballot box, so a close counts exactly the casts before it and nothing after. Each job is
 * answered only after its batch's transaction has committed.
 */
export class BallotWriter {
	readonly #queue: Queued[] = [];
	#flushing = false;
	/** Waiting for the writer to be idle (settled()). */
	#settled: (() => void)[] = [];

	constructor(
		private readonly box: BallotBox,
		private readonly written: (batch: WrittenBatch) => Promise<void>
	) {}

	/** Queues a cast: the receipt it is counted under, or why not. */
	cast(entry: CastEntry, secret: boolean): Promise<{ receipt: string } | CastRefusal> {
		return this.#enqueue({ kind: 'cast', entry, secret });
	}

	/** Queues a close: the result, and whether this close is the one that closed the vote (`newly`); or why not. */
	close(entry: CloseEntry, secret: boolean): Promise<{ result: VoteResult; newly: boolean } | CloseRefusal> {
		return this.#enqueue({ kind: 'close', entry, secret });
	}

	/**
	 * Resolves once nothing is queued or being written, on a later turn of the event loop than the last answer, so
	 * the acknowledgements of every job queued so far have been sent (at once when the writer is idle). Work that
	 * must never hold a voter's acknowledgement back (the live tallies' fan-out) waits for this between its slices.
	 */
	settled(): Promise<void> {
		if (!this.#flushing) return Promise.resolve();
		return new Promise((resolve) => this.#settled.push(resolve));
	}

	/** No more background work: the app is stopping (its database closes). */
	stop(): void {
		this.box.stop();
	}

	#enqueue<T>(job: BallotJob): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			this.#queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
			if (!this.#flushing) {
				this.#flushing = true;
				setImmediate(() => void this.#flush());
			}
		});
	}

	/** Writes everything queued in one transaction, then answers each job and tells what changed. Runs until the queue is empty. */
	async #flush(): Promise<void> {
		while (this.#queue.length) {
			const queued = this.#queue.splice(0);
			let outcomes;
			try {
				outcomes = await this.box.write(queued.map((q) => q.job));
			} catch (error) {
				for (const q of queued) q.reject(error);
				continue;
			}
			const cast = new Set<number>();
			const closed = new Set<number>();
			let ballots = 0;
			queued.forEach(({ job, resolve, reject }, i) => {
				const o = outcomes[i];
				if (!o.ok) return reject(o.error);
				if (job.kind === 'cast' && typeof o.value !== 'string') {
					cast.add(job.entry.voteId);
					ballots++;
				} else if (job.kind === 'close' && typeof o.value !== 'string' && 'newly' in o.value && o.value.newly) closed.add(job.entry.voteId);
				resolve(o.value);
			});
			await this.written({ cast: [...cast].filter((id) => !closed.has(id)), closed: [...closed], ballots });
		}
		this.#flushing = false;
		const waiting = this.#settled.splice(0);
		// After the answers' own continuations (the acks are written in microtasks that follow each resolve).
		if (waiting.length) setImmediate(() => waiting.forEach((resolve) => resolve()));
	}
}
