import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Which database a handle speaks to. Only server/db asks (migrations, repositories' dialect-specific SQL, maintenance);
 * services never branch on it.
 */
export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Thrown by what only SQLite can do (a file backup, VACUUM, integrity_check): the message says what to use instead. */
export class SqliteOnly extends Error {
	constructor(what: string, instead: string) {
		super(`${what} works on SQLite only; on PostgreSQL ${instead}.`);
		this.name = 'SqliteOnly';
	}
}

/** What start-up reports when the database cannot be used: one line naming what to fix (the message). */
export class DatabaseUnavailable extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DatabaseUnavailable';
	}
}
