import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely';
import type { Database } from './database.js';

/** Every Kysely transaction here writes, so each takes the write lock up front (BEGIN IMMEDIATE): a transaction
 * that reads and then writes can never fail half-way with SQLITE_BUSY when another process holds the lock. */
class ImmediateSqliteDriver extends SqliteDriver {
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
}

class ImmediateSqliteDialect extends SqliteDialect {
	readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
	constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
		super(config);
		this.#config = config;
	}
	override createDriver() {
		return new ImmediateSqliteDriver(this.#config);
	}
}

export type Db = Kysely<Database>;

/** Opens (creating if needed) the SQLite file with the pragmas Kuvend relies on. */
export function openDatabase(file: string): { db: Db; raw: SQLite.Database } {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const raw = new SQLite(file);
	raw.pragma('journal_mode = WAL');
	raw.pragma('synchronous = NORMAL');
	raw.pragma('foreign_keys = ON');
	raw.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: raw }) });
	return { db, raw };
}
