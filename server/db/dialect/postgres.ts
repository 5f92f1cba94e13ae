import pg from 'pg';
// Imported only when DATABASE_URL is set (server/db/open.ts): a SQLite start does not load pg.
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../database.js';
import { DatabaseUnavailable } from './index.js';
import { storableParameters } from '../storable.js';
import { DomainError, isDomainError } from '../../../src/lib/shared/errors.js';
import { DATABASE_AWAY, isDatabaseAwayRefusal } from '../../../src/lib/shared/database-away.js';

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
	/** PostgreSQL stopped answering (the first failed connection or query of an outage), and answers again. */
	onAway?: (error: unknown) => void;
	onBack?: () => void;
}


/** Errors that say PostgreSQL cannot be reached or has gone away, rather than that a statement was wrong. */
const AWAY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
export function isDatabaseAway(error: unknown): boolean {
	if (isDomainError(error)) return isDatabaseAwayRefusal(error);
	const e = error as { code?: string; message?: string } | null;
	if (e?.code && AWAY_CODES.has(e.code)) return true;
	return /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection terminated unexpectedly)/.test(e?.message ?? '');
}

/**
 * The pool Kysely sees: pg's, with every connection and query error that means "PostgreSQL is away" (stopped,
 * restarting, unreachable) turned into the refusal 'unavailable' (DATABASE_AWAY): the pages answer 503 in the
 * reader's language, socket acknowledgements carry it, forms keep their input. Nothing was committed by the
 * statement that failed so, and what committed before is PostgreSQL's to keep. pg's pool drops a broken connection
 * and opens a new one on the next query, so Kuvend reconnects by itself once PostgreSQL answers again.
 */
function refusingPool(pool: pg.Pool, options: PostgresOptions): pg.Pool {
	let away = false;
	const failed = (error: unknown): unknown => {
		if (!isDatabaseAway(error)) return error;
		if (!away) {
			away = true;
			options.onAway?.(error);
		}
		return isDomainError(error) ? error : Object.assign(new DomainError('unavailable', DATABASE_AWAY), { cause: error });
	};
	const answered = () => {
		if (!away) return;
		away = false;
		options.onBack?.();
	};
	// An idle connection the server dropped is an error event on the pool (without a listener it would stop the
	// process). When PostgreSQL stops, every idle connection says so at once: that is the outage, said once.
	pool.on('error', (error) => (isDatabaseAway(error) ? failed(error) : options.onError?.(error)));
	const guarded = new WeakSet<pg.PoolClient>();
	return new Proxy(pool, {
		get(target, property, receiver) {
			if (property !== 'connect') return Reflect.get(target, property, receiver);
			return async () => {
				let client: pg.PoolClient;
				try {
					client = await target.connect();
				} catch (error) {
					throw failed(error);
				}
				if (!guarded.has(client)) {
					guarded.add(client);
					const query = client.query.bind(client) as (...args: unknown[]) => unknown;
					(client as { query: unknown }).query = (...args: unknown[]) => {
						// Kysely's statements come as (text, parameters): their strings made storable (../storable.ts).
						if (Array.isArray(args[1])) args[1] = storableParameters(args[1]);
						const result = query(...args);
						if (!(result instanceof Promise)) return result;
						return result.then(
							(value) => (answered(), value),
							(error) => {
								throw failed(error);
							}
						);
					};
				}
				return client;
			};
		}
	});
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
	const refusing = refusingPool(pool, options);
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
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: refusing }) });
	return { db, pool };
}
