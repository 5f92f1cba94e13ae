import type SQLite from 'better-sqlite3';

// The operator's queries on a database file as a whole (backup, restore, check), on a plain better-sqlite3 handle:
// they run on files that may not be Kuvend databases at all, before anything else is opened on them.

/** The names of the tables in a database; throws SQLITE_NOTADB for a file that is not SQLite. */
export function tableNames(raw: SQLite.Database): string[] {
	return (raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
}

/** The migrations recorded as applied, oldest first. */
export function appliedMigrations(raw: SQLite.Database): string[] {
	return (raw.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
}

/** SQLite's integrity check: `['ok']`, or up to `limit` problems, each on one line. */
export function integrityProblems(raw: SQLite.Database, limit = 20): string[] {
	return (raw.pragma(`integrity_check(${Math.max(1, Math.trunc(limit))})`) as { integrity_check: string }[]).map((r) => r.integrity_check.replace(/\s*\n\s*/g, ' '));
}

/** Rows in every table, by table name. */
export function rowCounts(raw: SQLite.Database): Record<string, number> {
	return Object.fromEntries(tableNames(raw).map((t) => [t, (raw.prepare(`select count(*) as n from "${t.replace(/"/g, '""')}"`).get() as { n: number }).n]));
}

/** Mail not yet sent: still being tried, and given up after `maxAttempts`. */
export function outboxCounts(raw: SQLite.Database, maxAttempts: number): { pending: number; failed: number } {
	const row = raw
		.prepare('select coalesce(sum(attempts < ?), 0) as pending, coalesce(sum(attempts >= ?), 0) as failed from outbox where sent_at is null')
		.get(maxAttempts, maxAttempts) as { pending: number; failed: number };
	return { pending: row.pending, failed: row.failed };
}
