import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db } from '../../../server/db/client.js';
import type { Database } from '../../../server/db/database.js';
import { openPostgres } from '../../../server/db/dialect/postgres.js';
import { databaseEnv } from './postgres.js';

/**
 * Uses the database of the data folder `dir` through Kysely, whichever the tests run on: the folder's SQLite file
 * (read-only unless `write`, so a read never creates or changes it), or under `npm run test:pg` the folder's own
 * PostgreSQL database. For tests whose server runs in another process, where there is no `app.ctx.db` to read through.
 */
export async function withDatabaseOf<T>(dir: string, use: (db: Db) => Promise<T>, { write = false } = {}): Promise<T> {
	const url = databaseEnv(dir).DATABASE_URL;
	const db: Db = url
		? (await openPostgres(url, { poolSize: 1 })).db
		: new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(path.join(dir, 'kuvend.db'), { readonly: !write, fileMustExist: true }) }) });
	try {
		return await use(db);
	} finally {
		await db.destroy();
	}
}
