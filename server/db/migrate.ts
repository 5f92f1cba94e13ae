import fs from 'node:fs/promises';
import path from 'node:path';
import { FileMigrationProvider, Migrator, type Kysely } from 'kysely';
import { MIGRATIONS_DIR } from '../paths.js';

export interface MigrationOutcome {
	/** True when the database had no migrations before this run: it was created now. */
	created: boolean;
	applied: string[];
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
	const migrator = new Migrator({
		db,
		provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR })
	});
	const before = await migrator.getMigrations();
	const created = before.every((m) => !m.executedAt);
	const { error, results = [] } = await migrator.migrateToLatest();
	const failed = results.find((r) => r.status === 'Error');
	if (error || failed) {
		const name = failed ? ` (${failed.migrationName})` : '';
		throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
	}
	return { created, applied: results.map((r) => r.migrationName) };
}
