/**
 * `npm run bench -- pgsearch`: search over 100,000 posts on PostgreSQL (issue #16.2: p50 ≤ 5 ms, p99 ≤ 30 ms), beside
 * the same queries through the same service on SQLite, in the same run, on the same corpus: the corpus is written to
 * SQLite as the forum bench writes it, then moved by migrate-to-postgres (its time is reported too), so both hold
 * the same folded text. A plain `select 1` round trip through the pool is the floor any query on PostgreSQL pays.
 * The PostgreSQL server is KUVEND_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test); the bench makes a
 * database of its own there and drops it.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { fillSearchCorpus, searchKinds } from './forum.bench.js';
import { TextGenerator, RARE, RARE_POSTS } from './albanian.js';
import { note, percentile, timeEach, type Row } from './lib.js';
import type { RunningApp } from '../../server/app.js';

const ADMIN = process.env.KUVEND_BENCH_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const DATABASE = `kuvend_bench_search_${process.pid}`;

const psql = (command: string) => execFileSync('psql', [ADMIN, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });

/** Every kind's queries through SearchService.search as a visitor: the samples per kind. */
async function timeSearches(app: RunningApp): Promise<Map<string, number[]>> {
	const samples = new Map<string, number[]>();
	for (const [kind, queries] of searchKinds()) {
		samples.set(kind, await timeEach(queries, (q) => app.ctx.services.search.search(null, { q }), new Set(queries).size));
	}
	const found = await app.ctx.services.search.search(null, { q: RARE[0] });
	if (found.hits.length !== RARE_POSTS) throw new Error(`"${RARE[0]}" found ${found.hits.length} times, planted ${RARE_POSTS}`);
	return samples;
}

export async function run(): Promise<Row[]> {
	const [{ loadConfig }, { startApp }, { moveToPostgres }, { ballotKeyOf }, { dataDir }] = await Promise.all([
		import('../../server/config.js'),
		import('../../server/app.js'),
		import('../../server/db/move-to-postgres.js'),
		import('../../server/db/ballots/ballot-seal.js'),
		import('./lib.js')
	]);
	const data = dataDir();
	const url = new URL(ADMIN);
	url.pathname = `/${DATABASE}`;
	const env = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.path, LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed' };
	psql(`drop database if exists ${DATABASE} with (force)`);
	psql(`create database ${DATABASE}`);
	try {
		const sqliteApp = await startApp(loadConfig(env), { sveltekit: null });
		let onSqlite: Map<string, number[]>;
		try {
			const t0 = performance.now();
			await fillSearchCorpus(sqliteApp, new TextGenerator(42));
			note(`search corpus: 100,000 posts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
			onSqlite = await timeSearches(sqliteApp);
		} finally {
			await sqliteApp.stop();
		}
		const config = loadConfig({ ...env, DATABASE_URL: url.toString() });
		const moved = await moveToPostgres({
			from: config.databaseFile,
			to: url.toString(),
			ballotKey: () => ({ key: ballotKeyOf(config), source: 'bench' })
		});
		note(`migrate-to-postgres: ${moved.rows.toLocaleString('en-US')} rows in ${(moved.ms / 1000).toFixed(1)} s`);

		const pgApp = await startApp(config, { sveltekit: null });
		try {
			const onPostgres = await timeSearches(pgApp);
			const roundTrip = await timeEach(Array.from({ length: 240 }, () => 0), () => sql`select 1`.execute(pgApp.ctx.db), 20);
			const rows: Row[] = [];
			for (const [kind] of searchKinds()) {
				const pg = onPostgres.get(kind)!;
				const lite = onSqlite.get(kind)!;
				rows.push(
					{ figure: `PostgreSQL search, ${kind}: p50 (baseline: SQLite)`, unit: 'ms', measured: percentile(pg, 50), baseline: percentile(lite, 50), budget: { max: 5 } },
					{ figure: `PostgreSQL search, ${kind}: p99 (baseline: SQLite)`, unit: 'ms', measured: percentile(pg, 99), baseline: percentile(lite, 99), budget: { max: 30 } }
				);
			}
			rows.push(
				{ figure: 'PostgreSQL select 1 round trip: p50', unit: 'ms', measured: percentile(roundTrip, 50), baseline: null },
				{ figure: 'PostgreSQL select 1 round trip: p99', unit: 'ms', measured: percentile(roundTrip, 99), baseline: null },
				{ figure: 'migrate-to-postgres of the 100,000-post database', unit: 's', measured: moved.ms / 1000, baseline: null }
			);
			return rows;
		} finally {
			await pgApp.stop();
		}
	} finally {
		psql(`drop database if exists ${DATABASE} with (force)`);
		data.remove();
	}
}
