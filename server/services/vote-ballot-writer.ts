import type { BallotBox, BallotJob, CastEntry, CastRefusal, CloseEntry, CloseRefusal } from '../db/repositories/ballot-box.repository.js';
import type { VoteResult } from '../../src/lib/shared/votes.js';
import { DomainError } from '../../src/lib/shared/errors.js';

const REFUSALS: Record<CastRefusal, [code: 'conflict' | 'forbidden', message: string]> = {
	closed: ['conflict', 'vote_not_open'],
	not_eligible: ['forbidden', 'not_eligible'],
	already_voted: ['conflict', 'already_voted'],
	not_voted: ['conflict', 'not_voted'],
	not_this_device: ['forbidden', 'not_this_device'],
	cast_id_used: ['conflict', 'cast_id_used']
};

/** The error a cast the ballot box refused is answered with, its reason told on the ballot. */
export function castRefused(refusal: CastRefusal): DomainError {
	const [code, message] = REFUSALS[refusal];
	return new DomainError(code, message, { ballot: message });
}

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
	/** Jobs taken and jobs answered (or failed) so far, counted for settled(). */
	#taken = 0;
	#answered = 0;
	/** Waiting for the jobs taken up to some count to be answered (settled()). */
	#settled: { upTo: number; resolve: () => void }[] = [];

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
	 * Resolves once every job queued so far is answered, on a later turn of the event loop than its answer, so their
	 * acknowledgements have been sent (at once when none is waiting). Jobs queued after the call are not waited for:
	 * while casts keep coming (a batch on PostgreSQL takes a round trip, and more queue meanwhile) this still
	 * resolves. Work that must never hold a voter's acknowledgement back (the live tallies' fan-out) waits for this
	 * between its slices.
	 */
	settled(): Promise<void> {
		if (this.#answered === this.#taken) return Promise.resolve();
		return new Promise((resolve) => this.#settled.push({ upTo: this.#taken, resolve }));
	}

	/** No more background work: the app is stopping (its database closes). */
	stop(): void {
		this.box.stop();
	}

	#enqueue<T>(job: BallotJob): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			this.#queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
			this.#taken++;
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
				this.#release(queued.length);
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
			this.#release(queued.length);
			await this.written({ cast: [...cast].filter((id) => !closed.has(id)), closed: [...closed], ballots });
		}
		this.#flushing = false;
	}

	/** `count` more jobs are answered: those waiting for them go on, after the answers' own continuations. */
	#release(count: number): void {
		this.#answered += count;
		const ready = this.#settled.filter((w) => w.upTo <= this.#answered);
		if (!ready.length) return;
		this.#settled = this.#settled.filter((w) => w.upTo > this.#answered);
		// The acks are written in microtasks that follow each resolve: a later turn of the event loop comes after them.
		setImmediate(() => ready.forEach((w) => w.resolve()));
	}
}
