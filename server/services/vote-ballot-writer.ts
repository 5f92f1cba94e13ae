import type { Db } from '../db/client.js';
import type { BallotBox } from '../db/repositories/ballot-box.repository.js';

/** What a written batch changed, told once per batch after its transaction. */
export interface WrittenBatch {
	/** Votes that took casts (and did not close in the same batch). */
	cast: number[];
	/** Votes this batch closed. */
	closed: number[];
	/** Ballots this batch took (cast or changed), over all votes: a number only. */
	ballots: number;
}

interface Job {
	run: () => unknown;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
	secret: boolean;
	voteId: number;
	kind: 'cast' | 'close';
}

/** How long a truncation waits for a reader before giving up for now (the acknowledgements wait with it). */
const TRUNCATE_WAIT_MS = 20;
const TRUNCATE_RETRY_MS = 500;

/**
 * The one writer of ballots: casts and closes are queued and written in batches, in arrival order, each batch one
 * transaction on the ballot box, so a close counts exactly the casts before it and nothing after.
 *
 * Secret ballots (DESIGN.md §3): writes sit in SQLite's WAL until a checkpoint, in the order they were made, so a
 * participation and its ballot written together could be paired by reading the WAL: after every batch holding secret
 * ballots the WAL is checkpointed and truncated. A reader elsewhere (a backup copying the file) can keep the log from
 * being truncated; the writer does not wait for it with the ballots' acknowledgements held back, but tries again
 * shortly after, until the log is empty.
 */
export class BallotWriter {
	readonly #queue: Job[] = [];
	#flushing = false;
	#retry: NodeJS.Timeout | null = null;
	#stopped = false;

	constructor(
		private readonly db: Db,
		private readonly box: BallotBox,
		private readonly written: (batch: WrittenBatch) => Promise<void>
	) {}

	/** Queues a cast; `run` writes it on the box inside the batch's transaction. */
	cast<T>(voteId: number, secret: boolean, run: () => T): Promise<T> {
		return this.#enqueue('cast', voteId, secret, run);
	}

	/** Queues a close; `run` tells whether this close is the one that closed the vote (`newly`). */
	close<T extends { newly: boolean }>(voteId: number, secret: boolean, run: () => T): Promise<T> {
		return this.#enqueue('close', voteId, secret, run);
	}

	/** Checkpoints and truncates the WAL, waiting at most TRUNCATE_WAIT_MS for readers; tries again later if one stayed. */
	#truncateLog(): void {
		const raw = this.box.raw;
		const wait = raw.pragma('busy_timeout', { simple: true }) as number;
		raw.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
		try {
			const [result] = raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
			if (result?.busy) this.#truncateLater();
		} finally {
			raw.pragma(`busy_timeout = ${wait}`);
		}
	}

	#truncateLater(): void {
		if (this.#retry || this.#stopped) return;
		this.#retry = setTimeout(() => {
			this.#retry = null;
			if (this.#stopped) return;
			// On Kysely's connection, so no transaction of the app's is open on it meanwhile.
			void this.db
				.connection()
				.execute(async () => this.#truncateLog())
				.catch(() => this.#truncateLater());
		}, TRUNCATE_RETRY_MS);
		this.#retry.unref();
	}

	/** No more retries: the app is stopping (its database closes). */
	stop(): void {
		this.#stopped = true;
		if (this.#retry) clearTimeout(this.#retry);
	}

	#enqueue<T>(kind: Job['kind'], voteId: number, secret: boolean, run: () => T): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			this.#queue.push({ kind, voteId, secret, run, resolve: resolve as (v: unknown) => void, reject });
			if (!this.#flushing) {
				this.#flushing = true;
				setImmediate(() => void this.#flush());
			}
		});
	}

	/**
	 * Writes everything queued in one transaction, holding Kysely's connection so no other transaction interleaves,
	 * then answers each job and tells what changed. Runs until the queue is empty.
	 */
	async #flush(): Promise<void> {
		while (this.#queue.length) {
			const jobs = this.#queue.splice(0);
			const outcomes: { ok: boolean; value: unknown }[] = [];
			try {
				await this.db.connection().execute(async () => {
					this.box.transaction(() => {
						for (const job of jobs) {
							try {
								outcomes.push({ ok: true, value: job.run() });
							} catch (error) {
								outcomes.push({ ok: false, value: error });
							}
						}
					});
					if (jobs.some((j) => j.secret)) this.#truncateLog();
				});
			} catch (error) {
				for (const job of jobs) job.reject(error);
				continue;
			}
			const cast = new Set<number>();
			const closed = new Set<number>();
			let ballots = 0;
			jobs.forEach((job, i) => {
				const o = outcomes[i];
				if (o.ok) {
					if (job.kind === 'cast') {
						cast.add(job.voteId);
						ballots++;
					}
					else if ((o.value as { newly: boolean }).newly) closed.add(job.voteId);
					job.resolve(o.value);
				} else job.reject(o.value);
			});
			await this.written({ cast: [...cast].filter((id) => !closed.has(id)), closed: [...closed], ballots });
		}
		this.#flushing = false;
	}
}
