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

function psql(command: string, admin = ADMIN_URL!): void {
	execFileSync('psql', [admin, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const nameOf = (dataDir: string) => `kuvend_t_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;

const created = new Map<string, string>();

/**
 * The environment that points a server on `dataDir` at its own fresh PostgreSQL database; {} on SQLite. `admin`
 * makes one without `npm run test:pg` (for the tests of PostgreSQL itself).
 */
export function databaseEnv(dataDir: string, admin = ADMIN_URL): Record<string, string> {
	if (!admin) return {};
	const name = nameOf(dataDir);
	if (!created.has(name)) {
		psql(`drop database if exists ${name} with (force)`, admin);
		psql(`create database ${name}`, admin);
		created.set(name, admin);
	}
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return { DATABASE_URL: url.toString() };
}

/** Drops the database made for `dataDir` (when its app is disposed). */
export function dropDatabaseOf(dataDir: string): void {
	const name = nameOf(dataDir);
	const admin = created.get(name);
	if (!admin) return;
	psql(`drop database if exists ${name} with (force)`, admin);
	created.delete(name);
}

/** Drops every database this test file made. */
export function dropTestDatabases(): void {
	for (const [name, admin] of created) psql(`drop database if exists ${name} with (force)`, admin);
	created.clear();
}

/**
 * Whether a PostgreSQL server answers at `admin`. `npm test` needs no PostgreSQL: the tests of PostgreSQL itself run
 * where one answers (these machines and CI have one on 127.0.0.1:5432) and are skipped, saying so, where none does.
 */
export function postgresAnswers(admin: string): boolean {
	try {
		execFileSync('psql', [admin, '-X', '-q', '-c', 'select 1'], { stdio: 'ignore', timeout: 5000, env: { ...process.env, PGCONNECT_TIMEOUT: '2' } });
		return true;
	} catch {
		return false;
	}
}

/** Whether this run is `npm run test:pg`: every server a test starts is then on PostgreSQL. */
export const onPostgres = ADMIN_URL !== null;
