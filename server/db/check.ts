import { MAX_ATTEMPTS } from '../mail/mailer.js';
import { databaseBytes, openExisting } from './backup.js';
import { knownMigrations } from './migrate.js';
import { integrityProblems, outboxCounts } from './repositories/maintenance.repository.js';
import { schemaState, type SchemaState } from './restore.js';

/** What `kuvend check` finds in a database. */
export interface CheckReport {
	file: string;
	/** `['ok']`, or the first problems SQLite's integrity check names. */
	integrity: string[];
	schema: SchemaState;
	/** The newest migration this code knows. */
	latestKnown: string | null;
	outbox: { pending: number; failed: number };
	bytes: { file: number; wal: number };
}

/**
 * Reads a database's health without changing it, beside a running server or not: SQLite's integrity check, the
 * schema against the migrations this code knows, the mail waiting or given up on, and the size on disk.
 */
export async function checkDatabase(file: string): Promise<CheckReport> {
	const raw = openExisting(file, 'The database');
	try {
		const schema = await schemaState(raw, file);
		return {
			file,
			integrity: integrityProblems(raw),
			schema,
			latestKnown: (await knownMigrations()).at(-1) ?? null,
			outbox: outboxCounts(raw, MAX_ATTEMPTS),
			bytes: databaseBytes(file)
		};
	} finally {
		raw.close();
	}
}

/** True when the database is sound and its schema is the one this code serves. */
export function healthy(report: CheckReport): boolean {
	return report.integrity.join() === 'ok' && !report.schema.pending.length && !report.schema.unknown.length;
}
