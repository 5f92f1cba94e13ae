/**
 * `npm run bench -- api`: GET /api/v1/decisions (issue #20: p99 ≤ 10 ms at 50 concurrent clients) from the compiled
 * server in its own process, as a visitor and with a member's personal token, beside a plain node:http server sending
 * the same bytes in the same run. BENCH_PROFILE=<folder>: the server runs with --cpu-prof and leaves its profile there
 * (summarise it with tests/bench/profile-summary.ts).
 */
import http from 'node:http';
import { VOTE_DEFAULTS } from '../../server/domain/votes.js';
import { actAs, httpLoad, note, processCpuMs, serveCompiled, startBenchApp, type LoadResult, type Row } from './lib.js';

const LOAD_SECONDS = 4;
/** Decisions in the register besides the demo's: more than one page of the default size (25). */
const DECISIONS = 60;

async function fillRegister(app: Awaited<ReturnType<typeof startBenchApp>>): Promise<string> {
	const coordinator = await actAs(app, 'coordinator@demo.test');
	for (let i = 0; i < DECISIONS; i++) {
		const id = await app.ctx.services.votes.create(
			coordinator,
			{ ...VOTE_DEFAULTS, title: `Vendimi ${i + 1}: programi i bashkëpunimit`, method: 'yes_no', visibility: i % 3 ? 'public' : 'members', closesAt: Date.now() + 86_400_000 },
			{},
			true
		);
		await app.ctx.services.votes.close(coordinator, id);
	}
	const member = await actAs(app, 'member1@demo.test');
	return (await app.ctx.services.apiTokens.create(member, 'benchmark')).token;
}

export async function run(): Promise<Row[]> {
	const app = await startBenchApp({ pages: false });
	let token: string;
	try {
		token = await fillRegister(app);
		await app.stop();
	} catch (error) {
		await app.dispose();
		throw error;
	}
	const folder = process.env.BENCH_PROFILE;
	const server = await serveCompiled(app.config.dataDir, folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : []);
	const rows: Row[] = [];
	try {
		const url = `${server.url}/api/v1/decisions`;
		for (const [who, headers] of [
			['visitor', { accept: 'application/json' }],
			['member with a token', { accept: 'application/json', authorization: `Bearer ${token}` }]
		] as const) {
			const first = await fetch(url, { headers });
			if (first.status !== 200) throw new Error(`GET ${url} as a ${who} answered ${first.status}`);
			const body = Buffer.from(await first.arrayBuffer());
			note(`${who}: ${body.length.toLocaleString('en-US')} bytes, ${(JSON.parse(body.toString()) as { data: unknown[] }).data.length} decisions`);
			const baseline = http.createServer((_req, res) => {
				res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag: first.headers.get('etag') ?? '' });
				res.end(body);
			});
			await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
			const baseUrl = `http://127.0.0.1:${(baseline.address() as { port: number }).port}/`;
			try {
				note(`GET /api/v1/decisions as a ${who}, 50 clients, ${LOAD_SECONDS} s each for Kuvend and the baseline...`);
				// CPU per answer (the server's from /proc, the baseline's this process's): what a busy machine does not
				// distort the way it distorts latency. The load's warm-up (0.5 s) is served too, hence the share.
				const cpu0 = processCpuMs(server.pid);
				const k: LoadResult = await httpLoad(url, 50, LOAD_SECONDS, headers);
				const cpu = processCpuMs(server.pid) - cpu0;
				const self0 = processCpuMs('self');
				const b: LoadResult = await httpLoad(baseUrl, 50, LOAD_SECONDS, headers);
				const selfCpu = processCpuMs('self') - self0;
				const served = (r: LoadResult) => (r.requests * (LOAD_SECONDS + 0.5)) / LOAD_SECONDS;
				const name = `GET /api/v1/decisions, ${who}, 50 clients`;
				rows.push(
					{ figure: `${name}: p50`, unit: 'ms', measured: k.p50, baseline: b.p50 },
					{ figure: `${name}: p99`, unit: 'ms', measured: k.p99, baseline: b.p99, budget: { max: 10 } },
					{ figure: `${name}: throughput`, unit: 'req/s', measured: k.rps, baseline: b.rps },
					{ figure: `${name}: server CPU per answer (≈)`, unit: 'ms', measured: cpu / served(k), baseline: selfCpu / served(b) },
					{ figure: `${name}: failed requests`, unit: 'requests', measured: k.errors, baseline: b.errors, budget: { max: 0 } }
				);
			} finally {
				await new Promise((resolve) => baseline.close(resolve));
			}
		}
	} finally {
		await server.stop();
		await app.dispose();
		if (folder) note(`CPU profile of the server in ${folder}`);
	}
	return rows;
}
