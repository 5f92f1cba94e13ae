/**
 * Start and memory (issue #21, point 3): a restart on a seeded data folder until /healthz answers 200, and the
 * server's resident memory once idle, for the compiled server `npm start` runs (build/server.js) and for the same
 * server run from source with tsx (as before #21), beside a plain node:http server answering /healthz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../../server/paths.js';
import { SERVER_BUNDLE } from '../../server/cli/build-server.js';
import { dataDir, note, sleep, type Row } from './lib.js';

const RESTARTS = 5;
/** How long a started server is left alone before its memory is read: start-up garbage collected, timers settled. */
const IDLE_MS = 3_000;

const PLAIN = `require('node:http').createServer((q, s) => s.end(q.url === '/healthz' ? 'ok' : '')).listen(Number(process.env.PORT), '127.0.0.1')`;

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer().once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/** Resident memory of a process (MB), from /proc. */
function rssMb(pid: number): number {
	const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
	return line ? Number(line[1]) / 1024 : NaN;
}

interface Started {
	ms: number;
	rss: number;
}

/** Starts `args`, polls /healthz until it answers 200 (the time), waits IDLE_MS (the memory), stops it. */
async function startOnce(args: string[], env: Record<string, string>): Promise<Started> {
	const port = await freePort();
	let output = '';
	const t0 = performance.now();
	const child: ChildProcess = spawn(process.execPath, args, {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), ...env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (c: Buffer) => (output += c));
	child.stderr!.on('data', (c: Buffer) => (output += c));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	try {
		let ms = NaN;
		while (performance.now() - t0 < 60_000) {
			if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode}):\n${output}`);
			const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
				(r) => r.status === 200,
				() => false
			);
			if (ok) {
				ms = performance.now() - t0;
				break;
			}
			await sleep(5);
		}
		if (Number.isNaN(ms)) throw new Error(`${args.join(' ')} did not answer /healthz within 60 s:\n${output}`);
		await sleep(IDLE_MS);
		return { ms, rss: rssMb(child.pid!) };
	} finally {
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	}
}

/** The median of RESTARTS starts, alternating the servers so that a busy moment does not fall on one of them. */
async function compare(kinds: Record<string, { args: string[]; env: Record<string, string> }>): Promise<Record<string, Started>> {
	const runs: Record<string, Started[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
	for (let i = 0; i < RESTARTS; i++) {
		for (const [name, { args, env }] of Object.entries(kinds)) runs[name].push(await startOnce(args, env));
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	return Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { ms: median(r.map((x) => x.ms)), rss: median(r.map((x) => x.rss)) }]));
}

export async function run(): Promise<Row[]> {
	if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: the bench builds it first (ensureBuild)`);
	const data = dataDir();
	try {
		const env = { NODE_ENV: 'production', DATA_DIR: data.path, SEED: 'demo', LOG_LEVEL: 'warn' };
		// The first start migrates and seeds; the figures are restarts on that folder, as after an upgrade or a crash.
		note('seeding a data folder with the demo network...');
		await startOnce([SERVER_BUNDLE], env);
		note(`restarting ${RESTARTS} times each: compiled, from source with tsx, plain node:http...`);
		const r = await compare({
			compiled: { args: [SERVER_BUNDLE], env },
			source: { args: ['--import', 'tsx', 'server/index.ts'], env },
			plain: { args: ['-e', PLAIN], env: {} }
		});
		return [
			{ figure: 'restart to /healthz, compiled server (npm start)', unit: 'ms', measured: r.compiled.ms, baseline: r.plain.ms, budget: { max: 1_500 } },
			{ figure: 'restart to /healthz, from source with tsx (before #21)', unit: 'ms', measured: r.source.ms, baseline: r.plain.ms },
			{ figure: `idle RSS ${IDLE_MS / 1000} s after start, compiled server`, unit: 'MB', measured: r.compiled.rss, baseline: r.plain.rss, budget: { max: 150 } },
			{ figure: `idle RSS ${IDLE_MS / 1000} s after start, from source with tsx`, unit: 'MB', measured: r.source.rss, baseline: r.plain.rss }
		];
	} finally {
		data.remove();
	}
}
