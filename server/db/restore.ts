import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { BackupError, backupDatabase, fsyncFile, openExisting, WHOLE_FILE, type BackupResult } from './backup.js';
import { lockDataFolder } from './data-folder-lock.js';
import { knownMigrations } from './migrate.js';
import { appliedMigrations, integrityProblems, tableNames } from './repositories/maintenance.repository.js';

/** Where a Kuvend database's schema stands against the migrations this code knows. */
export interface SchemaState {
	applied: string[];
	/** Known here, not applied there. */
	pending: string[];
	/** Applied there, unknown here: the file comes from a newer Kuvend. */
	unknown: string[];
}

/** Reads the schema state, or refuses in one line a file that is not SQLite or not a Kuvend database. */
export async function schemaState(raw: SQLite.Database, file: string): Promise<SchemaState> {
	let tables: string[];
	try {
		tables = tableNames(raw);
	} catch (error) {
		if (error instanceof SQLite.SqliteError && (error.code === 'SQLITE_NOTADB' || error.code === 'SQLITE_CORRUPT')) {
			throw new BackupError(`${file} is not a SQLite database (${error.message}).`);
		}
		throw error;
	}
	if (!tables.includes('kysely_migration') || !tables.includes('users')) {
		throw new BackupError(`${file} is a SQLite database but not a Kuvend one (it has no ${tables.includes('users') ? 'kysely_migration' : 'users'} table).`);
	}
	const applied = appliedMigrations(raw);
	const known = await knownMigrations();
	return { applied, pending: known.filter((m) => !applied.includes(m)), unknown: applied.filter((m) => !known.includes(m)) };
}

/** Refuses a backup this code cannot serve; the check both on the file given and on the copy about to replace. */
async function assertRestorable(raw: SQLite.Database, file: string): Promise<void> {
	const state = await schemaState(raw, file);
	if (state.unknown.length) {
		throw new BackupError(`${file} comes from a newer Kuvend (it has migration ${state.unknown.at(-1)}, unknown here); upgrade Kuvend before restoring it.`);
	}
	const problems = integrityProblems(raw, 3);
	if (problems.join() !== 'ok') throw new BackupError(`${file} is damaged (integrity check: ${problems.join('; ')}).`);
}

/**
 * `kuvend restore <file>`: replaces the database with a backup, or changes nothing.
 *
 * Refused, before anything is written: a file that cannot be read, is not a Kuvend database, fails its integrity
 * check or has migrations newer than this code; and a data folder a server holds (its OS lock, taken here too for
 * the whole restore, so no server can start half-way). The backup is copied beside the database under a temporary
 * name (with SQLite's backup API, so a source that still has its own write-ahead log is copied whole), checked
 * again, synced, and renamed over the database: a crash at any point leaves either the old database or the new one.
 * The current database's write-ahead log is folded into it first; a log left beside the new file would be replayed
 * into it. Pending migrations (an older backup) are applied by the next start, after its pre-migration backup.
 */
export async function restoreDatabase(databaseFile: string, from: string): Promise<BackupResult & { pending: string[] }> {
	const source = path.resolve(from);
	if (source === path.resolve(databaseFile)) throw new BackupError(`${source} is the database itself; restore from a backup file.`);
	const given = openExisting(source, 'The backup');
	try {
		await assertRestorable(given, source);
	} finally {
		given.close();
	}

	const lock = lockDataFolder(databaseFile);
	const partial = path.join(path.dirname(databaseFile), `.${path.basename(databaseFile)}.restore-${process.pid}.partial`);
	try {
		const reader = openExisting(source, 'The backup');
		try {
			await backupDatabase(reader, partial, { pagesPerStep: WHOLE_FILE });
		} finally {
			reader.close();
		}
		const copy = new SQLite(partial, { fileMustExist: true });
		let pending: string[];
		try {
			await assertRestorable(copy, source);
			pending = (await schemaState(copy, source)).pending;
		} finally {
			copy.close();
		}
		foldWriteAheadLog(databaseFile);
		fs.renameSync(partial, databaseFile);
		fs.rmSync(`${databaseFile}-shm`, { force: true });
		await fsyncFile(path.dirname(databaseFile));
		return { file: databaseFile, bytes: fs.statSync(databaseFile).size, pending };
	} catch (error) {
		fs.rmSync(partial, { force: true });
		throw error;
	} finally {
		lock.release();
	}
}

/** Empties the current database's write-ahead log into it and removes the log, or refuses with what to do. */
function foldWriteAheadLog(databaseFile: string): void {
	if (!fs.existsSync(databaseFile)) {
		for (const f of [`${databaseFile}-wal`, `${databaseFile}-shm`]) fs.rmSync(f, { force: true });
		return;
	}
	try {
		const current = new SQLite(databaseFile, { fileMustExist: true });
		try {
			current.pragma('wal_checkpoint(TRUNCATE)');
		} finally {
			current.close();
		}
	} catch (error) {
		throw new BackupError(
			`The current database's write-ahead log could not be folded in (${(error as Error).message}); move ${databaseFile}-wal aside and restore again.`
		);
	}
	fs.rmSync(`${databaseFile}-wal`, { force: true });
}
