import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The one place a migration asks which database it runs on. Migrations import nothing from the app; this folder is
 * not a migration (the migrator reads migrations/*.ts only, not its subfolders).
 */
export function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * A DDL statement written for SQLite, run unchanged there (so what SQLite stores in sqlite_master stays what it has
 * always been) and, on PostgreSQL, with SQLite's storage words mapped as the schema builder maps them
 * (server/db/dialect/postgres-schema.ts, PostgresSchemaPlugin): `integer` → `bigint`, `real` → `double precision`,
 * `blob` → `bytea`, and no `without rowid` (PostgreSQL has no rowid; its tables are heaps with separate indexes).
 */
export function ddl(db: Kysely<any>, statement: string): RawBuilder<unknown> {
	if (!isPostgres(db)) return sql.raw(statement);
	return sql.raw(
		statement
			.replace(/\)\s*without rowid\s*$/i, ')')
			.replace(/\binteger\b/gi, 'bigint')
			.replace(/\breal\b/gi, 'double precision')
			.replace(/\bblob\b/gi, 'bytea')
	);
}
