import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely';
import type { Database } from './database.js';
import { diskFullRefusal, isDiskFull } from './storage-health.js';
import { storableParameters } from './storable.js';

/** The statement with its parameters as they may be stored (storable.ts). */
const storableQuery = <R>(query: CompiledQuery<R>): CompiledQuery<R> => {
	const parameters = storableParameters(query.parameters);
	return parameters === query.parameters ? query : { ...query, parameters };
};

/** What the driver tells of failed statements (a full disk is reported to StorageHealth). */
export interface DriverHooks {
	onError?: (error: unknown) => void;
}

/** Every Kysely transaction here writes, so each takes the write lock up front (BEGIN IMMEDIATE): a transaction
 * that reads and then writes can never fail half-way with SQLITE_BUSY when another process holds the lock. */
class ImmediateSqliteDriver extends SqliteDriver {
	#watched: DatabaseConnection | undefined;
	constructor(
		config: ConstructorParameters<typeof SqliteDriver>[0],
		private readonly raw: SQLite.Database,
		private readonly hooks: DriverHooks
	) {
		super(config);
	}

	/**
	 * The one connection, with every statement's text parameters made storable (storable.ts) and every failed
	 * statement reported to `hooks.onError`. A full disk is thrown on as the
	 * refusal 'unavailable' (every transport words it: the form keeps its input, the socket ack says why).
	 */
	override async acquireConnection(): Promise<DatabaseConnection> {
		const connection = await super.acquireConnection();
		const onError = this.hooks.onError;
		this.#watched ??= {
			executeQuery: async (query) => {
				try {
					return await connection.executeQuery(storableQuery(query));
				} catch (error) {
					onError?.(error);
					throw isDiskFull(error) ? diskFullRefusal(error) : error;
				}
			},
			streamQuery: (query, chunkSize) => connection.streamQuery(storableQuery(query), chunkSize)
		};
		return this.#watched;
	}

	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}

	/**
	 * SQLite rolls a transaction back by itself after some errors (SQLITE_FULL among them); a ROLLBACK then fails
	 * with "cannot rollback - no transaction is active", and Kysely would throw that instead of the real cause.
	 */
	override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		if (this.raw.inTransaction) await super.rollbackTransaction(connection);
	}
}

class ImmediateSqliteDialect extends SqliteDialect {
	readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
	constructor(
		config: ConstructorParameters<typeof SqliteDialect>[0],
		private readonly raw: SQLite.Database,
		private readonly hooks: DriverHooks
	) {
		super(config);
		this.#config = config;
	}
	override createDriver() {
		return new ImmediateSqliteDriver(this.#config, this.raw, this.hooks);
	}
}

/**
 * The handle Kysely sees: better-sqlite3 with its prepared statements kept by SQL text. Kysely prepares every query
 * afresh, which cost more than running it on the hot paths (measured in tests/bench/forum.bench.ts). Statements
 * are reusable and re-prepare themselves after a schema change; the cache is bounded for SQL built with varying
 * shapes (`in (?, ?, …)`).
 */
export function statementCache(raw: SQLite.Database, size = 500): { prepare: SQLite.Database['prepare']; close: () => void } {
	const statements = new Map<string, SQLite.Statement>();
	return {
		prepare: ((sql: string) => {
			let statement = statements.get(sql);
			if (!statement) {
				statement = raw.prepare(sql);
				if (statements.size >= size) statements.delete(statements.keys().next().value!);
				statements.set(sql, statement);
			}
			return statement;
		}) as SQLite.Database['prepare'],
		close: () => {
			statements.clear();
			raw.close();
		}
	};
}

export type Db = Kysely<Database>;

/** Opens (creating if needed) the SQLite file with the pragmas Kuvend relies on. */
export function openDatabase(file: string, hooks: DriverHooks = {}): { db: Db; raw: SQLite.Database } {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const raw = new SQLite(file);
	raw.pragma('journal_mode = WAL');
	raw.pragma('synchronous = NORMAL');
	raw.pragma('foreign_keys = ON');
	raw.pragma('busy_timeout = 5000');
	// Reads through a memory map and a 64 MB page cache rather than a read() per page: random access to posts
	// (search hits, thread pages) measured 3–5x faster on a 100,000-post database (tests/bench/forum.bench.ts).
	raw.pragma('mmap_size = 268435456');
	raw.pragma('cache_size = -65536');
	// A checkpoint (run by the commit that fills the WAL to this many pages) costs ~4 ms of syncing whatever its
	// size, plus ~4 µs a page copied. A forum reply writes ~20 pages, so at SQLite's default of 1,000 the fixed
	// part alone was a sixth of a reply; at 4,000 (a WAL of up to 16 MB) it is a twentieth (tests/bench/forum.bench.ts).
	raw.pragma('wal_autocheckpoint = 4000');
	// A checkpoint that finds no reader resets the log and truncates its file to this size: a burst (or a checkpoint
	// held back by a long read) leaves no log of hundreds of MB behind, holding space a full disk needs back.
	raw.pragma(`journal_size_limit = ${4000 * 4096}`);
	const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: statementCache(raw) as unknown as SQLite.Database }, raw, hooks) });
	return { db, raw };
}
