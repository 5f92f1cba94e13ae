import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import { dialectOf } from '../dialect/index.js';

/**
 * Rewrites the one health row and commits: the commit appends to the write-ahead log, so it fails with SQLITE_FULL
 * when the disk is full, as a real write would (a write rolled back before commit never touches the disk).
 */
export async function touchHealthProbe(db: Kysely<Database>, now: number): Promise<void> {
	await db.updateTable('health_probe').set({ checked_at: now }).where('id', '=', 1).execute();
}

/**
 * Copies the write-ahead log into the database and truncates it to nothing, returning its space to the disk. On
 * PostgreSQL nothing: the server recycles its own WAL (and a CHECKPOINT needs a superuser).
 */
export async function truncateWal(db: Kysely<Database>): Promise<void> {
	if (dialectOf(db) === 'postgres') return;
	await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}
