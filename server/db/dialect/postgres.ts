import pg from 'pg';
// Imported only when DATABASE_URL is set (server/db/open.ts): a SQLite start does not load pg.
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../database.js';
import { DatabaseUnavailable } from './index.js';

/** The oldest PostgreSQL Kuvend runs on (14: `generated … stored` columns, multirange types, current tooling). */
export const MIN_POSTGRES_VERSION = 140000;

const INT8 = 20;
const NUMERIC = 1700;

function safeNumber(text: string): number {
	const n = Number(text);
	if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw new RangeError(`integer ${text} does not fit in a JavaScript number`);
	return n;
}

/**
 * The services see the same types on both dialects: SQLite hands integers (ids, millisecond timestamps, counts) to
 * JavaScript as numbers; pg would hand `bigint` and `count(*)` as strings, and `sum()` (numeric) too. Per pool, not
 * pg's global type table, so nothing else in the process is changed.
 */
const types = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === INT8) return safeNumber;
		if (oid === NUMERIC) return (text: string) => Number(text);
		return pg.types.getTypeParser(oid, format);
	}
} as pg.CustomTypesConfig;

/** Where DATABASE_URL points, without its password: for messages. */
function describe(url: string): { where: string; user: string; database: string } {
	const u = new URL(url);
	return {
		where: `${u.hostname || 'localhost'}:${u.port || '5432'}`,
		user: decodeURIComponent(u.username) || 'the current user',
		database: decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'the default database'
	};
}

/** The one line start-up stops with when PostgreSQL cannot be reached or refuses us; null for other errors. */
export function explainConnectionError(error: unknown, url: string): string | null {
	const { where, user, database } = describe(url);
	const e = error as { code?: string; message?: string };
	const said = (e.message ?? String(error)).split('\n')[0];
	switch (e.code) {
		case 'ECONNREFUSED':
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'ETIMEDOUT':
			return `DATABASE_URL: cannot reach PostgreSQL at ${where} (${e.code}); start PostgreSQL or fix the host and port in DATABASE_URL.`;
		case '28P01':
		case '28000':
			return `DATABASE_URL: PostgreSQL at ${where} refused user "${user}" (${said}); fix the user name and password in DATABASE_URL.`;
		case '3D000':
			return `DATABASE_URL: database "${database}" does not exist on ${where}; create it (createdb ${database}) or fix its name in DATABASE_URL.`;
		case '42501':
			return `DATABASE_URL: user "${user}" may not use database "${database}" on ${where} (${said}); grant it CONNECT and CREATE, or use another user.`;
	}
	if (/timeout/i.test(said)) return `DATABASE_URL: PostgreSQL at ${where} did not answer in time (${said}); check the host and port in DATABASE_URL.`;
	return null;
}

export interface PostgresOptions {
	/** The most connections the pool opens. */
	poolSize: number;
	/** How long a new connection may take before start-up (or a query) gives up. */
	connectTimeoutMs?: number;
	/** An idle connection the server dropped (PostgreSQL restarted): the next query reconnects. */
	onError?: (error: unknown) => void;
}

/**
 * Opens a bounded pool on DATABASE_URL and checks, before anything else, that the server answers, takes these
 * credentials, has this database and is recent enough. Throws DatabaseUnavailable with one line otherwise.
 */
export async function openPostgres(url: string, options: PostgresOptions): Promise<{ db: Kysely<Database>; pool: pg.Pool }> {
	const pool = new pg.Pool({
		connectionString: url,
		max: options.poolSize,
		connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
		idleTimeoutMillis: 30_000,
		types,
		application_name: 'kuvend'
	});
	// An idle connection the server drops (a restart) is an error event on the pool: logged by whoever uses the
	// query that next fails; without a listener it would stop the process.
	pool.on('error', (error) => options.onError?.(error));
	let version: number;
	try {
		const result = await pool.query<{ v: string; text: string }>("select current_setting('server_version_num') as v, current_setting('server_version') as text");
		version = Number(result.rows[0].v);
		if (version < MIN_POSTGRES_VERSION) {
			throw new DatabaseUnavailable(
				`DATABASE_URL: PostgreSQL ${result.rows[0].text} at ${describe(url).where} is too old; Kuvend needs PostgreSQL 14 or newer.`
			);
		}
	} catch (error) {
		// The connection's own error is the one start-up reports, in one line; closing a pool that never connected
		// can only fail the same way, and saying so twice would break that line.
		await pool.end().catch(() => {});
		if (error instanceof DatabaseUnavailable) throw error;
		const line = explainConnectionError(error, url);
		throw line ? new DatabaseUnavailable(line) : error;
	}
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return { db, pool };
}
