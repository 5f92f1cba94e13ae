import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { MIGRATIONS_DIR } from '../paths.js';
import { dialectOf } from './dialect/index.js';
import { PostgresSchemaPlugin } from './dialect/postgres-schema.js';

/**
 * Loads migrations/*.ts with an import() of our own, so that whatever runs the server (tsx, Vitest) also
 * transpiles the migrations; Kysely's FileMigrationProvider would import them natively and fail on .ts.
 */
export class MigrationFolder implements MigrationProvider {
	async getMigrations(): Promise<Record<string, Migration>> {
		const names = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
		const entries = await Promise.all(
			names.map(async (file) => [file.replace(/\.(ts|js)$/, ''), (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration] as const)
		);
		return Object.fromEntries(entries);
	}
}

export interface MigrationOutcome {
	/** True when the database had no migrations before this run: it was created now. */
	created: boolean;
	applied: string[];
}

/** The names of the migrations this code knows, oldest first. */
export async function knownMigrations(): Promise<string[]> {
	return Object.keys(await new MigrationFolder().getMigrations()).sort();
}

/**
 * Brings the schema to the latest migration; throws with the failing migration's name. `beforeMigrating` runs first
 * when a database that already had a schema has migrations pending (the backup taken before an upgrade); if it
 * throws, nothing is migrated.
 */
export async function migrateToLatest(
	db: Kysely<any>,
	options: {
		beforeMigrating?: (pending: string[]) => Promise<void>;
		/** `db` is one connection inside a transaction of the caller's (migrate-to-postgres): the migrations run in it. */
		inTransaction?: boolean;
	} = {}
): Promise<MigrationOutcome> {
	// The migrations name SQLite's column types; on PostgreSQL the plugin maps them (integer → bigint, …).
	const migrating = dialectOf(db) === 'postgres' ? db.withPlugin(new PostgresSchemaPlugin()) : db;
	const migrator = new Migrator({ db: migrating, provider: new MigrationFolder(), disableTransactions: options.inTransaction });
	const before = await migrator.getMigrations();
	const created = before.every((m) => !m.executedAt);
	const pending = before.filter((m) => !m.executedAt).map((m) => m.name);
	if (!created && pending.length && options.beforeMigrating) {
		try {
			await options.beforeMigrating(pending);
		} catch (error) {
			throw new Error(`Nothing was migrated: the backup before migrating failed (${error instanceof Error ? error.message : String(error)}); check BACKUP_DIR and free space.`);
		}
	}
	const { error, results = [] } = await migrator.migrateToLatest();
	const failed = results.find((r) => r.status === 'Error');
	if (error || failed) {
		const name = failed ? ` (${failed.migrationName})` : '';
		throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
	}
	return { created, applied: results.map((r) => r.migrationName) };
}

export interface SchemaState {
	/** Migrations this code knows that the database has not run (all of them for a file that is not a Kuvend database). */
	pending: string[];
	/** Migrations the database has run that this code does not know: it was written by a newer Kuvend. */
	unknown: string[];
}

/** Where the database's schema stands against this code's migrations, without changing anything. */
export async function schemaState(db: Kysely<any>): Promise<SchemaState> {
	const known = await new Migrator({ db, provider: new MigrationFolder() }).getMigrations();
	const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
	const ran: { name: string }[] = tables.some((t) => t.name === 'kysely_migration') ? await db.selectFrom('kysely_migration').select('name').execute() : [];
	const names = new Set(known.map((m) => m.name));
	return { pending: known.filter((m) => !m.executedAt).map((m) => m.name), unknown: ran.map((r) => r.name).filter((n) => !names.has(n)) };
}
