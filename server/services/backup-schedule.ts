import fs from 'node:fs';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { backupDatabase, backupFileName, listBackups, pruneBackups, type BackupResult } from '../db/backup.js';
import type { Logger } from '../logger.js';

/** Pages copied between two turns of the event loop: 4 MB at SQLite's default page size. */
const PAGES_PER_STEP = 1000;

export interface BackupScheduleOptions {
	dir: string;
	/** Time between backups; 0 takes none. */
	everyMs: number;
	/** Scheduled backups kept; older ones are deleted after each new one. */
	keep: number;
	/** Pages copied between two turns of the event loop (4 MB worth unless given). */
	pagesPerStep?: number;
}

/**
 * The server's scheduled backups. The next one is due an interval after the newest scheduled backup in the folder
 * (an interval after the start when there is none), so a server restarted more often than the interval still takes
 * them. Copies run on the server's own connection in small steps, so requests are answered in between and the copy
 * stays consistent (SQLite applies the connection's own writes to the copy). A failure is logged and the next
 * backup is tried an interval later; the timer never keeps the process alive, and `stop` ends a copy in progress.
 */
export class BackupSchedule {
	#timer: NodeJS.Timeout | undefined;
	#running: Promise<unknown> | undefined;
	readonly #abort = new AbortController();

	constructor(
		private readonly raw: SQLite.Database,
		private readonly options: BackupScheduleOptions,
		private readonly logger: Logger,
		private readonly now: () => number = Date.now
	) {}

	start(): void {
		if (this.options.everyMs <= 0 || this.#abort.signal.aborted) return;
		const newest = listBackups(this.options.dir, 'scheduled')[0]?.at;
		this.#schedule(newest === undefined ? this.options.everyMs : newest + this.options.everyMs - this.now());
	}

	/** Takes one backup now and prunes the old ones. */
	async runOnce(): Promise<BackupResult> {
		fs.mkdirSync(this.options.dir, { recursive: true });
		const file = path.join(this.options.dir, backupFileName('scheduled', new Date(this.now())));
		const result = await backupDatabase(this.raw, file, { pagesPerStep: this.options.pagesPerStep ?? PAGES_PER_STEP, signal: this.#abort.signal });
		const pruned = pruneBackups(this.options.dir, 'scheduled', this.options.keep);
		this.logger.info('backup taken', { file: result.file, bytes: result.bytes, pruned: pruned.length });
		return result;
	}

	/** Stops the timer and any copy in progress; resolves once nothing of it touches the database any more. */
	async stop(): Promise<void> {
		this.#abort.abort();
		clearTimeout(this.#timer);
		await this.#running;
	}

	#schedule(delayMs: number): void {
		this.#timer = setTimeout(() => void this.#fire(), Math.max(0, delayMs));
		this.#timer.unref();
	}

	async #fire(): Promise<void> {
		const run = this.runOnce().catch((error: Error) => {
			if (!this.#abort.signal.aborted) this.logger.error('backup failed', { dir: this.options.dir, error: error.message });
		});
		this.#running = run;
		await run;
		this.#running = undefined;
		if (!this.#abort.signal.aborted) this.#schedule(this.options.everyMs);
	}
}
