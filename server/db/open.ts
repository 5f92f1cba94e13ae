import type SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { openDatabase, type Db, type DriverHooks } from './client.js';
import type { DialectName } from './dialect/index.js';
import { sqliteOnlyHandle } from './dialect/sqlite-only.js';

export interface OpenedDatabase {
	db: Db;
	dialect: DialectName;
	/** The better-sqlite3 handle; on PostgreSQL one that refuses every statement (dialect/sqlite-only.ts). */
	raw: SQLite.Database;
}

/**
 * The configured database: PostgreSQL when DATABASE_URL is set (checked before anything else: one line naming what to
 * fix when it cannot be used), otherwise the SQLite file.
 */
export async function openConfiguredDatabase(
	config: Config,
	hooks: DriverHooks & { onPoolError?: (error: unknown) => void; onAway?: (error: unknown) => void; onBack?: () => void } = {}
): Promise<OpenedDatabase> {
	if (config.databaseUrl) {
		const { openPostgres } = await import('./dialect/postgres.js');
		const { db } = await openPostgres(config.databaseUrl, { poolSize: config.databasePoolSize, onError: hooks.onPoolError, onAway: hooks.onAway, onBack: hooks.onBack });
		return { db, dialect: 'postgres', raw: sqliteOnlyHandle() };
	}
	return { ...openDatabase(config.databaseFile, hooks), dialect: 'sqlite' };
}

/** Where the database is, for messages: the SQLite file, or "PostgreSQL at host:port/database" (no credentials). */
export function describeDatabase(config: Config): string {
	if (!config.databaseUrl) return config.databaseFile;
	const url = new URL(config.databaseUrl);
	return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
