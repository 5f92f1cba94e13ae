import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { Logger } from '../logger.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import { touchHealthProbe, truncateWal } from './repositories/health.repository.js';

const DISK_FULL = 'disk_full';

/**
 * Whether an error says the disk (or the database's size limit) is full: SQLite's SQLITE_FULL, ENOSPC from a
 * file, or the refusal the database driver turns them into (diskFullRefusal).
 */
export function isDiskFull(error: unknown): boolean {
	if (isDomainError(error)) return error.code === 'unavailable' && error.message === DISK_FULL;
	const code = (error as { code?: unknown } | null)?.code;
	return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/** The refusal a write on a full disk becomes: nothing was written, the request may be made again later. */
export function diskFullRefusal(cause: unknown): DomainError {
	return Object.assign(new DomainError('unavailable', DISK_FULL), { cause });
}

/** Runs a write nobody waits for; see StorageHealth.bestEffort. */
export type BestEffort = (what: string, work: () => Promise<unknown>) => Promise<void>;

export interface StorageStatus {
	writable: boolean;
	/** Why not, in words an operator reads in /healthz ("disk full", or the error's message). */
	reason?: string;
}

export interface StorageHealthOptions {
	/** The write probe runs at most this often; /healthz answers from the last one in between. */
	probeEveryMs: number;
	/** After failed writes, a checkpoint that truncates the write-ahead log is tried this often until it works. */
	checkpointEveryMs: number;
}

const DEFAULTS: StorageHealthOptions = { probeEveryMs: 5_000, checkpointEveryMs: 5_000 };

/**
 * What the process knows about its database's ability to write. Every failed write is reported here (the database
 * driver and the document store do): a full disk is logged once as "disk full" per episode, and a checkpoint with
 * TRUNCATE is tried until it works, so the write-ahead log gives back the space it holds as soon as it can.
 * `status` answers /healthz from a real, committed write, run at most every few seconds.
 */
export class StorageHealth {
	readonly #options: StorageHealthOptions;
	/** A write failed with a full disk after the last probe that succeeded. */
	#full = false;
	#last: { at: number; status: StorageStatus } | null = null;
	#probing: Promise<StorageStatus> | null = null;
	/** The pending checkpoint attempt (or the probe after it), while one is scheduled. */
	#checkpoint: NodeJS.Timeout | null = null;
	#closed = false;
	/** Best-effort writes already logged as failing (cleared when the same write works again). */
	readonly #failing = new Set<string>();

	constructor(
		private readonly db: Kysely<Database>,
		private readonly logger: Logger,
		options: Partial<StorageHealthOptions> = {},
		private readonly clock: () => number = Date.now
	) {
		this.#options = { ...DEFAULTS, ...options };
	}

	/** Reports a failed write; only a full disk changes anything here. */
	failed(error: unknown): void {
		if (!isDiskFull(error)) return;
		if (!this.#full) this.logger.error('disk full: the database cannot write (SQLITE_FULL); writes are refused until space is freed', { error });
		this.#full = true;
		this.#last = null; // the next /healthz probes again
		this.#truncateWal();
	}

	/**
	 * Folds the write-ahead log into the database and truncates it, after failed writes and once writes work again.
	 * On a full disk the checkpoint fails too (the database file must grow), so it is tried every
	 * `checkpointEveryMs` until it works: once space is freed, the log gives back what it holds at once instead of
	 * growing into the freed space.
	 */
	#truncateWal(): void {
		if (this.#checkpoint || this.#closed) return;
		let logged = false;
		const attempt = () => {
			truncateWal(this.db).then(
				() => {
					// Still counted as full: a probe a little later tells whether writes work again (ending the
					// episode, so the next one is logged), without anyone asking /healthz.
					const probeLater = () => {
						this.#checkpoint = null;
						this.#last = null;
						void this.status();
					};
					this.#checkpoint = this.#full && !this.#closed ? setTimeout(probeLater, this.#options.probeEveryMs).unref() : null;
				},
				(error: unknown) => {
					if (!logged) this.logger.warn('could not truncate the write-ahead log yet; trying again', { error });
					logged = true;
					this.#checkpoint = this.#closed ? null : setTimeout(attempt, this.#options.checkpointEveryMs).unref();
				}
			);
		};
		// Later, outside the failing write (its transaction may still be unwinding on the one connection).
		this.#checkpoint = setTimeout(attempt, 0).unref();
	}

	/** Stops trying checkpoints (the database is about to close). */
	close(): void {
		this.#closed = true;
		if (this.#checkpoint) clearTimeout(this.#checkpoint);
		this.#checkpoint = null;
	}

	/** Whether the database takes writes, from a committed write at most every `probeEveryMs`. */
	status(): Promise<StorageStatus> {
		const now = this.clock();
		if (this.#last && now - this.#last.at < this.#options.probeEveryMs) return Promise.resolve(this.#last.status);
		this.#probing ??= this.#probe(now).finally(() => (this.#probing = null));
		return this.#probing;
	}

	async #probe(now: number): Promise<StorageStatus> {
		let status: StorageStatus;
		try {
			await touchHealthProbe(this.db, now);
			if (this.#full) {
				this.logger.info('the database takes writes again');
				this.#truncateWal();
			}
			this.#full = false;
			status = { writable: true };
		} catch (error) {
			this.failed(error);
			status = { writable: false, reason: isDiskFull(error) ? 'disk full' : error instanceof Error ? error.message : String(error) };
		}
		this.#last = { at: now, status };
		return status;
	}

	/**
	 * Runs a write nobody waits for (a read mark, a session's last-seen time): a failure is logged once until the
	 * same write works again, and never reaches the reader, whose page is served all the same. A refusal (a
	 * DomainError: not allowed, not found) is no write failure and is thrown on.
	 */
	readonly bestEffort: BestEffort = async (what, work) => {
		try {
			await work();
			this.#failing.delete(what);
		} catch (error) {
			if (isDomainError(error) && !isDiskFull(error)) throw error;
			this.failed(error);
			if (this.#failing.has(what)) return;
			this.#failing.add(what);
			this.logger.warn(`${what} was not written; the page is served without it`, { error });
		}
	};
}
