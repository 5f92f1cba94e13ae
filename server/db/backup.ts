import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { compactCopy } from './compact.js';

/** Why a backup was taken; it is part of the file name, and pruning keeps each kind apart. */
export type BackupKind = 'scheduled' | 'manual' | 'before-migration';

/** A refusal the operator can act on (missing database, existing target, missing folder): one line. */
export class BackupError extends Error {
	override name = 'BackupError';
}

export interface BackupResult {
	file: string;
	bytes: number;
}

/** Copies all pages in one step: one read transaction, so the copy is one moment of the database. */
export const WHOLE_FILE = 0x7fffffff;

const NAME = /^kuvend-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(scheduled|manual|before-migration)\.db$/;

/** `kuvend-2026-12-06T22-18-28-123Z-scheduled.db`: sorts by time as text, readable, no characters a shell minds. */
export function backupFileName(kind: BackupKind, at: Date): string {
	return `kuvend-${at.toISOString().replace(/[:.]/g, '-')}-${kind}.db`;
}

/** The backups of one kind in a folder, newest first, with the time each was taken. */
export function listBackups(dir: string, kind: BackupKind): { file: string; at: number }[] {
	let names: string[];
	try {
		names = fs.readdirSync(dir);
	} catch {
		return [];
	}
	return names
		.map((name) => ({ name, match: NAME.exec(name) }))
		.filter((n) => n.match?.[2] === kind)
		.map(({ name, match }) => {
			const [date, time] = match![1].split('T');
			const [h, m, s, ms] = time.slice(0, -1).split('-');
			return { file: path.join(dir, name), at: Date.parse(`${date}T${h}:${m}:${s}.${ms}Z`) };
		})
		.sort((a, b) => b.at - a.at);
}

/** Deletes all but the newest `keep` backups of one kind; returns the files deleted. Other files are left alone. */
export function pruneBackups(dir: string, kind: BackupKind, keep: number): string[] {
	const old = listBackups(dir, kind).slice(keep);
	for (const b of old) fs.rmSync(b.file, { force: true });
	return old.map((b) => b.file);
}

/**
 * Copies a live database with SQLite's online backup API into `dest`, which must not exist yet.
 *
 * `pagesPerStep` decides how the copy stays consistent. From a connection of its own (the command line, beside a
 * running server) the copy must be one step, `WHOLE_FILE`: between steps another connection's commit would restart
 * the copy from the first page, so under steady writes it might never end. From the server's own connection it
 * may go in small steps that let the server answer in between: SQLite applies that connection's own writes to the
 * copy as they happen.
 *
 * The pages are copied beside `dest` under a temporary name, then rewritten into a second one (compactCopy: rows in
 * key order, no free pages, a rollback journal: one self-contained file), which is synced and only then given its
 * name: a file with a backup's name is always a whole backup. `signal` stops a copy in progress (the server's
 * shutdown).
 */
export async function backupDatabase(source: SQLite.Database, dest: string, options: { pagesPerStep?: number; signal?: AbortSignal } = {}): Promise<BackupResult> {
	const pagesPerStep = options.pagesPerStep ?? WHOLE_FILE;
	const partial = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}`);
	const pages = `${partial}.pages.partial`;
	const compact = `${partial}.partial`;
	// In steps, the pages written so far are synced in the background (libuv's pool), so that the sync SQLite does when
	// the copy ends, on this thread, finds little left to write (measured on 100 MB: 41 ms instead of 72-114 ms).
	let syncing: Promise<void> | null = null as Promise<void> | null;
	try {
		await source.backup(pages, {
			progress: () => {
				if (options.signal?.aborted) throw new Error('backup stopped');
				if (pagesPerStep !== WHOLE_FILE && !syncing && fs.existsSync(pages)) {
					// Only a head start for the final sync below: a failed early sync costs time, not data (the backup is
					// synced in full as compactCopy writes it), so it is not an error.
					syncing = fsyncFile(pages)
						.catch(() => undefined)
						.finally(() => (syncing = null));
				}
				return pagesPerStep;
			}
		});
		await syncing;
		await compactCopy(pages, compact, options.signal);
		await fsyncFile(compact);
		fs.renameSync(compact, dest);
		await fsyncFile(path.dirname(dest));
	} catch (error) {
		fs.rmSync(compact, { force: true });
		throw error;
	} finally {
		for (const f of [pages, `${pages}-wal`, `${pages}-shm`, `${pages}-journal`]) fs.rmSync(f, { force: true });
	}
	return { file: dest, bytes: fs.statSync(dest).size };
}

/** Opens an existing database file to read it, or says in one line why it cannot be read. */
export function openExisting(file: string, what: string, options: { readonly?: boolean } = {}): SQLite.Database {
	try {
		fs.accessSync(file, fs.constants.R_OK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new BackupError(code === 'ENOENT' ? `${what} ${file} does not exist.` : `${what} ${file} cannot be read (${code}).`);
	}
	if (!fs.statSync(file).isFile()) throw new BackupError(`${what} ${file} is not a file.`);
	return new SQLite(file, { readonly: options.readonly ?? true, fileMustExist: true });
}

/**
 * `kuvend backup [file]`: copies the database beside a running server, without its lock. Without a file name the
 * copy goes into the backups folder under a timestamped name. An existing file is never overwritten.
 */
export async function backupToFile(databaseFile: string, backupDir: string, target: string | undefined, now = new Date()): Promise<BackupResult> {
	const dest = target ? path.resolve(target) : path.join(backupDir, backupFileName('manual', now));
	if (fs.existsSync(dest)) throw new BackupError(`${dest} already exists; choose another file name or remove it first.`);
	if (target && !fs.existsSync(path.dirname(dest))) throw new BackupError(`The folder ${path.dirname(dest)} does not exist; create it or choose another file name.`);
	const source = openExisting(databaseFile, 'The database');
	try {
		fs.mkdirSync(path.dirname(dest), { recursive: true });
		return await backupDatabase(source, dest);
	} finally {
		source.close();
	}
}

/**
 * The backup taken before migrating a database that already holds data: into the backups folder, the oldest such
 * backups beyond `keep` deleted. It runs on the connection that will migrate, before the migration begins.
 */
export async function backupBeforeMigrating(raw: SQLite.Database, backupDir: string, keep: number, now = new Date()): Promise<BackupResult> {
	fs.mkdirSync(backupDir, { recursive: true });
	const result = await backupDatabase(raw, path.join(backupDir, backupFileName('before-migration', now)));
	pruneBackups(backupDir, 'before-migration', keep);
	return result;
}

/** Size of a database and of its write-ahead log, in bytes (0 for a file that is not there). */
export function databaseBytes(file: string): { file: number; wal: number } {
	const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
	return { file: size(file), wal: size(`${file}-wal`) };
}

/** `12.3 MB`: sizes for people. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(1)} ${units[unit]}`;
}

/** Makes a file's (or folder's) contents durable before the next step relies on them (off the main thread). */
export async function fsyncFile(file: string): Promise<void> {
	const handle = await fs.promises.open(file, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}
