/**
 * The benchmarks' harness: figures and their table, timing, the machine's CPU, Kuvend started for a run, and helper
 * processes. Helper processes import it too, so what loads the app is imported only when called.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunningApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import type { Authenticated } from '../../server/services/auth.service.js';

/** One measured figure beside its baseline. `budget` is what the issue asks for (absent: reported only). */
export interface Row {
	figure: string;
	unit: string;
	measured: number;
	baseline: number | null;
	budget?: { max?: number; min?: number };
}

export const budgetMet = (r: Row): boolean | null =>
	!r.budget ? null : (r.budget.max === undefined || r.measured <= r.budget.max) && (r.budget.min === undefined || r.measured >= r.budget.min);

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
	if (!samples.length) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs `fn` over `items`, at most `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, items.length) }, async () => {
			while (next < items.length) await fn(items[next++]);
		})
	);
}

/** Times `fn` once per input (after a warm-up pass over a few of them, so JIT and page cache are settled); ms. */
export async function timeEach<T>(inputs: T[], fn: (input: T) => unknown, warmup = 20): Promise<number[]> {
	for (const input of inputs.slice(0, warmup)) await fn(input);
	const samples: number[] = [];
	for (const input of inputs) {
		const t0 = performance.now();
		await fn(input);
		samples.push(performance.now() - t0);
	}
	return samples;
}

/** Seeded PRNG (mulberry32): the same corpus every run, so runs compare. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ——— the machine's CPU, from /proc ———

let clockTicks: number | undefined;
const clkTck = () => (clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);

/** CPU time (ms, user + system) a process has used so far. */
export function processCpuMs(pid: number | 'self'): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name may hold spaces; the fields after it are space-separated: utime is the 14th, stime the 15th.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) / clkTck()) * 1000;
}

/** CPU time (ms) the whole machine has spent busy so far. */
function machineBusyMs(): number {
	const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	return ((user + nice + system + irq + softirq + steal) / clkTck()) * 1000;
}

/**
 * The machine is shared (2 cores): what other processes than this one and `pids` took since the meter was made, in
 * % of a core, says how far the figures of that window can be trusted.
 */
export function othersMeter(pids: number[]): () => number {
	const ours = () => processCpuMs('self') + pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
	const [busy0, ours0, t0] = [machineBusyMs(), ours(), performance.now()];
	return () => (Math.max(0, machineBusyMs() - busy0 - (ours() - ours0)) / (performance.now() - t0)) * 100;
}

/** Waits at least `ms`, then until other processes take less than the quiet share of a core over half a second. */
export type Quiet = (pids: number[], ms: number) => Promise<void>;

/**
 * Waits for a quiet machine before each measured window. A busy machine is reported, not waited out: each wait lasts
 * at most `waitMs`, all of them `totalMs`.
 */
export function quieter({ percent, waitMs, totalMs }: { percent: number; waitMs: number; totalMs: number }): Quiet {
	let left = totalMs;
	const measure = async (pids: number[]) => {
		const meter = othersMeter(pids);
		await sleep(500);
		return meter();
	};
	return async (pids, ms) => {
		await sleep(ms);
		const until = performance.now() + Math.min(waitMs, left);
		const started = performance.now();
		let others = await measure(pids);
		while (others >= percent && performance.now() < until) others = await measure(pids);
		left -= performance.now() - started;
		if (others >= percent) note(`the machine stayed busy: other processes took ${others.toFixed(0)} % of a core`);
	};
}

// ——— Kuvend for a run ———

/**
 * A CPU profile of this process over a window of a bench (start() before it, stop() after), written into `folder`
 * as <name>.cpuprofile; summarise it with tests/bench/profile-summary.ts. Starting the profiler holds the thread
 * for a while: start it before the bench's own quiet wait.
 */
export function cpuProfile(folder: string, name: string): { start(): Promise<void>; stop(): Promise<void> } {
	const session = new inspector.Session();
	return {
		async start() {
			session.connect();
			await session.post('Profiler.enable');
			await session.post('Profiler.start');
		},
		async stop() {
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			fs.mkdirSync(folder, { recursive: true });
			const file = path.join(folder, `${name}.cpuprofile`);
			fs.writeFileSync(file, JSON.stringify(profile));
			note(`CPU profile in ${file}`);
		}
	};
}

/** A fresh data folder for one run; `remove` deletes it with everything in it. */
export function dataDir(): { path: string; remove(): void } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuvend-bench-'));
	return { path: dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface BenchApp extends RunningApp {
	config: Config;
	/** Stops the app and removes its data. */
	dispose(): Promise<void>;
}

/**
 * Kuvend in this process on port 0 with a fresh database seeded with the demo network, as startTestApp
 * (tests/integration/helpers/app.ts) starts it; without `pages` it has no SvelteKit handler and needs no web build.
 */
export async function startBenchApp({ pages }: { pages: boolean }): Promise<BenchApp> {
	const [{ loadConfig }, { startApp }] = await Promise.all([import('../../server/config.js'), import('../../server/app.js')]);
	const data = dataDir();
	const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.path, LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed' });
	const app = await startApp(config, pages ? {} : { sveltekit: null });
	return {
		...app,
		config,
		async dispose() {
			await app.stop();
			data.remove();
		}
	};
}

export interface ServerProcess {
	url: string;
	pid: number;
	/** SIGTERM, and waits for the drain (SIGKILL after 20 s). */
	stop(): Promise<void>;
}

/**
 * Kuvend as `npm start` runs it (the compiled build/server.js, see server/cli/build-server.ts) in its own process on
 * a data folder a bench app filled and stopped: pages are measured as members get them in production, not through
 * the bench's own event loop and tsx. Ready when /healthz answers. `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export async function serveCompiled(dataPath: string, nodeArgs: string[] = []): Promise<ServerProcess> {
	const [{ spawn }, net, { ROOT }, { SERVER_BUNDLE }] = await Promise.all([
		import('node:child_process'),
		import('node:net'),
		import('../../server/paths.js'),
		import('../../server/cli/build-server.js')
	]);
	const port = await new Promise<number>((resolve, reject) => {
		const probe = net.createServer().once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
	const env = { PATH: process.env.PATH ?? '', HOME: os.homedir(), NODE_ENV: 'production', DATA_DIR: dataPath, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed' };
	const child = spawn(process.execPath, [...nodeArgs, SERVER_BUNDLE], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	};
	const t0 = performance.now();
	while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
		if (child.exitCode !== null) throw new Error(`${SERVER_BUNDLE} exited (${child.exitCode}) before answering /healthz`);
		if (performance.now() - t0 > 60_000) {
			await stop();
			throw new Error(`${SERVER_BUNDLE} did not answer /healthz within 60 s`);
		}
		await sleep(20);
	}
	return { url, pid: child.pid!, stop };
}

/** Acting as a demo member without signing in. */
export async function actAs(app: RunningApp, email: string): Promise<Authenticated> {
	const { actingAs } = await import('../../server/db/seed/forum.js');
	return actingAs(app.ctx.db, email);
}

export interface LoadResult {
	requests: number;
	seconds: number;
	rps: number;
	p50: number;
	p99: number;
	bytes: number;
	/** Requests answered with another status than 200, or whose connection failed (inside the measured window). */
	errors: number;
}

/**
 * Closed-loop HTTP GET load from a separate process (tests/bench/load-client.ts): on 2 cores, a client in the
 * server's own event loop would steal the time it is measuring. Each of `clients` connections sends its next
 * request as soon as the previous body has arrived; latency is time to the response headers (first byte).
 */
export function httpLoad(url: string, clients: number, seconds: number, headers: Record<string, string> = {}): Promise<LoadResult> {
	return new Promise((resolve, reject) => {
		const child = fork(new URL('./load-client.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		let result: LoadResult | undefined;
		child.on('message', (m: { result?: LoadResult; error?: string }) => {
			if (m.error) reject(new Error(`load client: ${m.error}`));
			else result = m.result;
		});
		child.on('error', reject);
		child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load client exited with ${code}`))));
		child.send({ url, clients, seconds, headers });
	});
}

const fmt = (n: number | null, unit: string): string => {
	if (n === null || Number.isNaN(n)) return '—';
	const digits = unit === 'ms' ? (n < 10 ? 2 : 1) : 0;
	return `${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
};

const fmtBudget = (r: Row): string =>
	!r.budget ? '—' : [r.budget.max !== undefined ? `≤ ${fmt(r.budget.max, r.unit)}` : '', r.budget.min !== undefined ? `≥ ${fmt(r.budget.min, r.unit)}` : ''].filter(Boolean).join(', ');

const ratio = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

/** Prints one suite's table: figure | measured | budget | baseline | ratio (measured / baseline). */
export function printTable(suite: string, rows: Row[]): void {
	const table = [
		['figure', 'measured', 'budget', 'baseline', 'ratio'],
		...rows.map((r) => {
			const met = budgetMet(r);
			return [
				r.figure,
				fmt(r.measured, r.unit) + (met === null ? '' : met ? '  ok' : '  MISSED'),
				fmtBudget(r),
				fmt(r.baseline, r.unit),
				r.baseline ? `${ratio(r.measured / r.baseline)}x` : '—'
			];
		})
	];
	const widths = table[0].map((_, i) => Math.max(...table.map((row) => [...row[i]].length)));
	const line = (row: string[]) => '| ' + row.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join(' | ') + ' |';
	console.log(`\n## ${suite}`);
	console.log(line(table[0]));
	console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
	for (const row of table.slice(1)) console.log(line(row));
}

/** Progress on stderr, so that stdout holds only the tables. */
export const note = (message: string) => process.stderr.write(`  ${message}\n`);

/** What a helper process sends its parent when a job failed (ChildMailbox fails whoever waits). */
export const failure = (error: unknown) => ({ kind: 'error' as const, message: error instanceof Error ? error.message : String(error) });

/**
 * A helper process of a benchmark (forked under tsx) and its typed messages: answers are awaited by kind, in order;
 * an `{ kind: 'error', message }` from the child, or the child exiting before it was killed, fails what waits.
 */
export class ChildMailbox<To, From extends { kind: string }> {
	readonly #child: ChildProcess;
	readonly #inbox: From[] = [];
	#waiting: { kind: string; resolve: (m: From) => void; reject: (e: Error) => void } | null = null;
	#failure: Error | null = null;

	constructor(script: string | URL, args: string[] = [], label = 'helper process') {
		this.#child = fork(script, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		this.#child.on('message', (m: From | { kind: 'error'; message: string }) => {
			if (m.kind === 'error' && 'message' in m) return this.#fail(new Error(`${label}: ${m.message}`));
			this.#inbox.push(m as From);
			this.#deliver();
		});
		this.#child.on('exit', (code, signal) => this.#fail(new Error(`${label} exited (${code ?? signal})`)));
	}

	#fail(error: Error): void {
		this.#failure ??= error;
		this.#waiting?.reject(error);
		this.#waiting = null;
	}

	#deliver(): void {
		const i = this.#inbox.findIndex((m) => m.kind === this.#waiting?.kind);
		if (i < 0 || !this.#waiting) return;
		const { resolve } = this.#waiting;
		this.#waiting = null;
		resolve(this.#inbox.splice(i, 1)[0]);
	}

	send(message: To): void {
		this.#child.send(message as object);
	}

	/** Waits for the next answer of `kind`. */
	next<K extends From['kind']>(kind: K): Promise<Extract<From, { kind: K }>> {
		if (this.#failure) return Promise.reject(this.#failure);
		return new Promise((resolve, reject) => {
			this.#waiting = { kind, resolve: resolve as (m: From) => void, reject };
			this.#deliver();
		});
	}

	/** Sends a job and waits for its answer. */
	ask<K extends From['kind']>(message: To, kind: K): Promise<Extract<From, { kind: K }>> {
		const answer = this.next(kind);
		this.send(message);
		return answer;
	}

	get pid(): number {
		return this.#child.pid!;
	}

	kill(): void {
		this.#child.removeAllListeners('exit');
		if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
	}
}
