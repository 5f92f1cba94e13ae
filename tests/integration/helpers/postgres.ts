import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';

/**
 * `npm run test:pg` runs the integration tests on PostgreSQL: KUVEND_TEST_POSTGRES is then the URL of a database
 * the tests may connect to in order to create their own. Each data folder a test starts a server on gets its own
 * database, `kuvend_t_<hash of the folder>` (so a server restarted on the same folder finds its data again), created
 * fresh and dropped after the test file (postgres-setup.ts) or when its app is disposed. Without the variable the
 * tests run on SQLite and nothing here does anything.
 */
const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || null;

export const onPostgres = ADMIN_URL !== null;

const created = new Set<string>();

function psql(command: string): void {
	execFileSync('psql', [ADMIN_URL!, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const nameOf = (dataDir: string) => `kuvend_t_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;

/** The environment that points a server on `dataDir` at its own fresh PostgreSQL database; {} on SQLite. */
export function databaseEnv(dataDir: string): Record<string, string> {
	if (!ADMIN_URL) return {};
	const name = nameOf(dataDir);
	if (!created.has(name)) {
		psql(`drop database if exists ${name} with (force)`);
		psql(`create database ${name}`);
		created.add(name);
	}
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return { DATABASE_URL: url.toString() };
}

/** Drops the database made for `dataDir` (when its app is disposed). */
export function dropDatabaseOf(dataDir: string): void {
	const name = nameOf(dataDir);
	if (!created.has(name)) return;
	psql(`drop database if exists ${name} with (force)`);
	created.delete(name);
}

/** Drops every database this test file made. */
export function dropTestDatabases(): void {
	for (const name of created) psql(`drop database if exists ${name} with (force)`);
	created.clear();
}
