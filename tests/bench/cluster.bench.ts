/**
 * Cluster benchmarks of issue #16 (point 6): Kuvend on PostgreSQL and Redis as two nodes, each figure beside ONE node
 * with the same configuration (PostgreSQL, Redis, compiled build/server.js) doing the same work in the same run.
 *
 * - Editors: 100 y-websocket editors (tests/bench/yjs-editor.ts, in 10 processes) type 100 edits/s in all into one
 *   draft, as drafts.bench.ts measures 50 (its `typing`): on one node, then split over two (processes alternate
 *   between the nodes, so every edit crosses to the other node through the Redis stream for half the editors).
 *   Update latency from an editor's edit to each other editor holding it; CPU of the nodes summed (/proc).
 * - Voters (5,000 split over two nodes, close→final tally p99 ≤ 250 ms, CPU ≤ 1.3× one node): NOT BUILT YET. The
 *   plan: votes.bench.ts's voter processes and `round`, with each voter process given one node's URL, members and
 *   sessions written into the PostgreSQL database before the nodes start, the vote closed through node A's form.
 *
 * Needs PostgreSQL (KUVEND_TEST_POSTGRES, default postgres://postgres@127.0.0.1:5432/test: a database of its own is
 * created and dropped) and Redis (KUVEND_TEST_REDIS, default redis://127.0.0.1:6379, a key prefix of its own).
 * CLUSTER_EDITORS changes the number of editors (smaller while
 * developing). The machine is shared: read each figure beside its one-node baseline and the load average.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { dataDir, note, percentile, type Row } from './lib.js';
import { createDraft, signIn, startKuvend, typing, type Server } from './drafts.bench.js';

const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.KUVEND_TEST_REDIS || 'redis://127.0.0.1:6379';
const EDITORS = Number(process.env.CLUSTER_EDITORS || 100);
const EDITOR_PROCESSES = Math.min(10, EDITORS);
const MEMBERS = ['member1@demo.test', 'member2@demo.test', 'member3@demo.test', 'member4@demo.test', 'member5@demo.test', 'coordinator@demo.test'];
const BALLOT_KEY = randomBytes(32).toString('base64');

function psql(sql: string): void {
	execFileSync('psql', [ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A database and a Redis prefix of this run's; `drop` removes both. */
function cluster(): { env: (dir: string, prefix: string) => Record<string, string>; drop(): Promise<void>; prefixes: string[] } {
	const name = `kuvend_bench_${randomUUID().slice(0, 8)}`;
	psql(`create database ${name}`);
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	const prefixes: string[] = [];
	return {
		prefixes,
		env: (dir, prefix) => {
			prefixes.push(prefix);
			return { DATA_DIR: dir, DATABASE_URL: url.toString(), REDIS_URL, REDIS_PREFIX: prefix, BALLOT_KEY };
		},
		async drop() {
			psql(`drop database if exists ${name} with (force)`);
			const redis = new Redis(REDIS_URL);
			try {
				for (const prefix of prefixes) {
					const keys = await redis.keys(`${prefix}*`);
					if (keys.length) await redis.del(...keys);
				}
			} finally {
				redis.disconnect();
			}
		}
	};
}

async function nodes(env: (dir: string, prefix: string) => Record<string, string>, count: number, dirs: { remove(): void }[]): Promise<Server[]> {
	const prefix = `kuvend-bench-${randomUUID().slice(0, 8)}:`;
	const started: Server[] = [];
	// One after the other: the first migrates and seeds a new database.
	for (let i = 0; i < count; i++) {
		const dir = dataDir();
		dirs.push(dir);
		started.push(await startKuvend(dir.path, env(dir.path, prefix), `node ${'AB'[i]}`));
	}
	return started;
}

async function editorFigures(env: (dir: string, prefix: string) => Record<string, string>, dirs: { remove(): void }[]): Promise<Row[]> {
	const rounds: Record<1 | 2, Awaited<ReturnType<typeof typing>>> = {} as never;
	for (const count of [1, 2] as const) {
		const servers = await nodes(env, count, dirs);
		try {
			const cookies = await Promise.all(servers.map((s) => Promise.all(MEMBERS.map((m) => signIn(s.url, m)))));
			const doc = await createDraft(servers[0].url, cookies[0][0], `Rregullorja e rrjetit, ${count} nyje`);
			note(`${EDITORS} editors in ${EDITOR_PROCESSES} processes on ${count} node(s)...`);
			const perProcess = EDITORS / EDITOR_PROCESSES;
			rounds[count] = await typing(
				servers[0],
				doc,
				(i) => {
					const node = Math.floor(i / perProcess) % servers.length;
					return { cookie: cookies[node][i % MEMBERS.length], origin: servers[node].url };
				},
				{ editors: EDITORS, processes: EDITOR_PROCESSES, servers }
			);
		} finally {
			for (const s of servers) await s.stop();
		}
	}
	const [one, two] = [rounds[1], rounds[2]];
	note(`edits measured: ${two.edits} on two nodes, ${one.edits} on one; load average ${os.loadavg()[0].toFixed(1)}`);
	const name = `${EDITORS} editors, 100 edits/s`;
	return [
		{ figure: `${name}: update latency p50, two nodes (baseline: one node)`, unit: 'ms', measured: percentile(two.latencies, 50), baseline: percentile(one.latencies, 50) },
		{ figure: `${name}: update latency p99, two nodes (baseline: one node)`, unit: 'ms', measured: percentile(two.latencies, 99), baseline: percentile(one.latencies, 99), budget: { max: 50 } },
		{ figure: `${name}: CPU of the nodes together, % of a core (baseline: one node)`, unit: '%', measured: two.cpu * 100, baseline: one.cpu * 100 }
	];
}

export async function run(): Promise<Row[]> {
	const part = process.env.CLUSTER_BENCH;
	const run = cluster();
	const dirs: { remove(): void }[] = [];
	try {
		const rows: Row[] = [];
		if (part !== 'voters') rows.push(...(await editorFigures(run.env, dirs)));
		if (part === 'voters') throw new Error('CLUSTER_BENCH=voters: the voters part is not built yet (see the header)');
		return rows;
	} finally {
		await run.drop();
		for (const d of dirs) d.remove();
	}
}
