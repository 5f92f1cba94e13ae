import type SQLite from 'better-sqlite3';
import { SqliteOnly } from './index.js';

/**
 * What stands for the better-sqlite3 handle when the database is PostgreSQL. What works on the SQLite file only
 * (file backups, restore, integrity checks) has no PostgreSQL path (README, "PostgreSQL (in progress)"): preparing a
 * statement works, so it can be wired, but running one, or anything else on this handle, throws SqliteOnly saying
 * so. Nothing is pretended.
 */
export function sqliteOnlyHandle(): SQLite.Database {
	const refuse = (): never => {
		throw new SqliteOnly('This part of Kuvend (file backups)', 'use pg_dump and pg_restore: see README, "PostgreSQL (in progress)"');
	};
	const statement = new Proxy({}, { get: () => refuse });
	return new Proxy({} as SQLite.Database, {
		get: (_, name) => {
			if (name === 'prepare') return () => statement;
			if (name === 'open') return false;
			if (name === 'inTransaction') return false;
			if (name === 'close') return () => {};
			return refuse;
		}
	});
}
