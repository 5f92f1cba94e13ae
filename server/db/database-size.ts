import { sql } from 'kysely';
import type { Db } from './client.js';
import { databaseBytes } from './backup.js';
import { dialectOf } from './dialect/index.js';

/**
 * How much the database takes, in bytes: on SQLite its file and write-ahead log; on PostgreSQL the database as the
 * server counts it (pg_database_size, its write-ahead log being the cluster's, not this database's), since there is
 * no file in the data folder to measure and the panel and /metrics would otherwise say 0.
 */
export async function databaseSize(db: Db, file: string): Promise<{ file: number; wal: number }> {
	if (dialectOf(db) === 'sqlite') return databaseBytes(file);
	const { rows } = await sql<{ bytes: number | string }>`select pg_database_size(current_database()) as bytes`.execute(db);
	return { file: Number(rows[0].bytes), wal: 0 };
}
