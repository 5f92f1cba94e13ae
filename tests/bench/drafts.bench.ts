/**
 * Draft benchmarks of the collaborative editor: 50 editors typing into one document, and 1,000 open documents with
 * long histories. Kuvend runs in its own process, as in production, beside the reference y-websocket server
 * (@y/websocket-server 0.1.1, in memory, persisting nothing) in the same run; the editors are y-websocket clients in
 * separate processes (tests/bench/yjs-editor.ts), so that the servers' CPU time and memory can be read by pid.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SERVER_BUNDLE } from '../../server/cli/build-server.js';
import { DEMO_PASSWORD } from '../../server/db/seed/demo.js';
import { ChildMailbox, dataDir, note, now, percentile, processCpuMs, sleep, type Row } from './lib.js';
import type { DocSpec, FromClient, ToClient } from './yjs-editor.js';

const EDITORS = 50;
const PROCESSES = 5;
const DEFAULT_EDITORS = EDITORS;
const DEFAULT_PROCESSES = PROCESSES;
/** Edits per second across all editors: the rate of the reference figure in /work/shared/STACK.md. */
const EDITS_PER_SECOND = 100;
const TYPING_SECONDS = 10;
/** Typing before measuring starts (JIT, first allocations); the same for both servers. */
const WARMUP_MS = 1_500;
const DOCS = 1_000;
/** Distinct 2,000-edit histories; documents share them in turn (only the size of a history matters here). */
const HISTORIES = 8;
const FILL_CONCURRENCY = 16;
/** Documents are opened one after another, so that each load time is a document's own. */
const OPEN_CONCURRENCY = 1;
const MEMBERS = ['member1@demo.test', 'member2@demo.test', 'member3@demo.test', 'member4@demo.test', 'member5@demo.test', 'coordinator@demo.test'];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = new URL('./yjs-editor.ts', import.meta.url);
const MB = 1024 * 1024;
const cpuSeconds = (pid: number) => processCpuMs(pid) / 1000;

function rssBytes(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]) * 1024;
}

/** A settled reading: garbage from the set-up is freed in the seconds after, so the lowest of a few samples. */
async function settledRss(pid: number): Promise<number> {
	let low = Infinity;
	for (let i = 0; i < 6; i++) {
		await sleep(500);
		low = Math.min(low, rssBytes(pid));
	}
	return low;
}

/** A server in a child process; what it logs on stderr is shown as progress notes, so that its errors are seen. */
export interface Server {
	name: string;
	pid: number;
	/** http://host:port */
	url: string;
	/** Where y-websocket providers connect (the room name is appended). */
	wsBase: string;
	stop(): Promise<void>;
}

/** Everything the suite started, so that a failure anywhere still leaves no process behind. */
const running = { servers: new Set<Server>(), clients: new Set<Client>() };

/** Starts `node <args>`; ready when a line of its stdout matches `ready`, whose match gives the URL. */
export function startServer(name: string, args: string[], env: Record<string, string>, ready: RegExp, urlOf: (m: RegExpExecArray) => string): Promise<Server> {
	// Only what the server needs from the environment: an ORIGIN or PORT set for the benchmark must not leak in.
	const clean = { PATH: process.env.PATH ?? '', HOME: os.homedir() };
	const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let stopping = false;
	let exited = false;
	const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
	let server: Server | undefined;
	const stop = async () => {
		stopping = true;
		if (server) running.servers.delete(server);
		if (exited) return;
		child.kill('SIGTERM');
		// Kuvend writes and merges its logs on SIGTERM: give it time, but never leave a process behind.
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exit;
		clearTimeout(timer);
	};
	return new Promise((resolve, reject) => {
		let seen = '';
		const timer = setTimeout(() => fail(new Error(`${name} did not start within 60 s:\n${seen}`)), 60_000);
		const fail = (error: Error) => {
			clearTimeout(timer);
			void stop().then(() => reject(error));
		};
		const lines = (stream: NodeJS.ReadableStream, onLine: (line: string) => void) => {
			let buffer = '';
			stream.setEncoding('utf8').on('data', (chunk: string) => {
				buffer += chunk;
				const all = buffer.split('\n');
				buffer = all.pop()!;
				all.forEach(onLine);
			});
		};
		lines(child.stdout!, (line) => {
			const match = !server && ready.exec(line);
			if (!match) return void (seen += line + '\n');
			clearTimeout(timer);
			const url = urlOf(match);
			server = { name, pid: child.pid!, url, wsBase: url.replace('http', 'ws'), stop };
			running.servers.add(server);
			resolve(server);
		});
		lines(child.stderr!, (line) => {
			seen += line + '\n';
			if (server && line.trim()) note(`[${name}] ${line}`);
		});
		child.once('exit', (code, signal) => {
			if (!server) fail(new Error(`${name} exited with ${code ?? signal} while starting:\n${seen}`));
			else if (!stopping) note(`${name} exited on its own (${code ?? signal})`);
		});
	});
}

/** Kuvend as `npm start` runs it (the compiled build/server.js), on a free port (with PORT=0 the request's own host is its origin). */
export async function startKuvend(dataDir: string, more: Record<string, string> = {}, name = 'kuvend'): Promise<Server> {
	const env = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed', SEED: 'demo', ...more };
	const server = await startServer(name, [SERVER_BUNDLE], env, /^Listening on (http:\/\/\S+)/, (m) => m[1]);
	return { ...server, wsBase: `${server.wsBase}/yjs` };
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer().once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/** The reference server's own bin; it prints the port it was given, not the one it got, so it gets a free one. */
async function startReference(): Promise<Server> {
	const port = await freePort();
	const bin = path.join(ROOT, 'node_modules/@y/websocket-server/src/server.js');
	return startServer('reference', [bin], { HOST: '127.0.0.1', PORT: String(port) }, /^running at/, () => `http://127.0.0.1:${port}`);
}

/** Signs in through the /login form as a browser would; the session cookie ("name=value"). */
export async function signIn(base: string, email: string): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', origin: base, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: DEMO_PASSWORD })
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kuvend_session='));
	if (res.status !== 303 || !cookie) throw new Error(`sign-in as ${email} answered ${res.status}`);
	return cookie.split(';')[0];
}

/** A draft made through the /drafts/new form; its document name. */
export async function createDraft(base: string, cookie: string, title: string): Promise<string> {
	const res = await fetch(`${base}/drafts/new`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ title, summary: 'Benchmark draft', group: '', field: 'cultural-policy', visibility: 'members' })
	});
	const id = /^\/drafts\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1];
	if (res.status !== 303 || !id) throw new Error(`creating a draft answered ${res.status} (${res.headers.get('location')})`);
	return `draft:${id}`;
}

/** One client process: send it jobs, wait for its answers by kind. */
export class Client extends ChildMailbox<ToClient, FromClient> {
	constructor() {
		super(CLIENT, [], 'client');
		running.clients.add(this);
	}

	override kill(): void {
		running.clients.delete(this);
		super.kill();
	}
}

export interface Typing {
	latencies: number[];
	cpu: number;
	peakRss: number;
	edits: number;
}

/**
 * 50 editors in 5 processes type one character each every 500 ms into their own paragraph of one document (100
 * edits/s in all). Latency is from the moment an editor makes an edit to the moment each other editor's document
 * has it, by the edit's Yjs id; the server's CPU and peak RSS are read over the same measured window.
 */
export async function typing(
	server: Server,
	doc: string,
	headersOf: (editor: number) => Record<string, string>,
	/** Other sizes, and several servers (cluster.bench.ts): process p connects to `servers[p % n]`, CPU and RSS summed. */
	{ editors: EDITORS = DEFAULT_EDITORS, processes: PROCESSES = DEFAULT_PROCESSES, servers = [server] }: { editors?: number; processes?: number; servers?: Server[] } = {}
): Promise<Typing> {
	const perProcess = EDITORS / PROCESSES;
	const clients = Array.from({ length: PROCESSES }, () => new Client());
	const pids = servers.map((s) => s.pid);
	const serverCpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
	const serverRss = () => pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
	try {
		clients.forEach((c, p) =>
			c.send({
				kind: 'type',
				wsBase: servers[p % servers.length].wsBase,
				doc,
				headers: Array.from({ length: perProcess }, (_, i) => headersOf(p * perProcess + i)),
				firstEditor: p * perProcess,
				totalEditors: EDITORS,
				intervalMs: (EDITORS / EDITS_PER_SECOND) * 1000,
				seconds: TYPING_SECONDS,
				warmupMs: WARMUP_MS
			})
		);
		await Promise.all(clients.map((c) => c.next('ready')));
		// Everyone's paragraph reaches everyone before typing starts.
		await sleep(1_000);
		const at = now() + 200;
		clients.forEach((c) => c.send({ kind: 'go', at }));
		const from = at + WARMUP_MS;
		const to = from + TYPING_SECONDS * 1000;
		await sleep(from - now());
		const cpu0 = serverCpu();
		const clientCpu0 = clients.map((c) => cpuSeconds(c.pid));
		let peakRss = serverRss();
		const sampler = setInterval(() => {
			try {
				peakRss = Math.max(peakRss, serverRss());
			} catch {
				// The server is gone: convergence below fails and says so.
			}
		}, 100);
		await sleep(to - now());
		const cpu1 = serverCpu();
		// Busy clients would delay what they measure; and the machine may be shared.
		const clientCpu = clients.map((c, i) => ((cpuSeconds(c.pid) - clientCpu0[i]) / TYPING_SECONDS) * 100);
		const range = `${Math.min(...clientCpu).toFixed(0)}–${Math.max(...clientCpu).toFixed(0)} %`;
		note(`${server.name}: client processes at ${range} of a core each, load average ${os.loadavg()[0].toFixed(1)}`);
		clearInterval(sampler);

		const typed = await Promise.all(clients.map((c) => c.next('typed')));
		const expected = typed.flatMap((t) => t.clocks);
		clients.forEach((c) => c.send({ kind: 'converge', expected }));
		const done = await Promise.all(clients.map((c) => c.next('converged')));
		const digests = new Set(done.flatMap((d) => d.digests));
		if (digests.size !== 1) throw new Error(`${server.name}: the ${EDITORS} editors ended with ${digests.size} different texts`);

		// Each editor's sends in clock order (an editor's clock only grows), to find the edits an update carries.
		const sends = new Map<number, { clocks: number[]; times: number[] }>();
		for (const t of typed) {
			for (let i = 0; i < t.sends.length; i += 3) {
				const s = sends.get(t.sends[i]) ?? sends.set(t.sends[i], { clocks: [], times: [] }).get(t.sends[i])!;
				s.clocks.push(t.sends[i + 1]);
				s.times.push(t.sends[i + 2]);
			}
		}
		let edits = 0;
		for (const s of sends.values()) edits += s.times.filter((t) => t >= from && t < to).length;
		const latencies: number[] = [];
		for (const { receipts } of done) {
			for (let i = 0; i < receipts.length; i += 4) {
				const s = sends.get(receipts[i]);
				if (!s) continue;
				let lo = 0;
				let hi = s.clocks.length;
				while (lo < hi) {
					const mid = (lo + hi) >> 1;
					if (s.clocks[mid] < receipts[i + 1]) lo = mid + 1;
					else hi = mid;
				}
				for (let k = lo; k < s.clocks.length && s.clocks[k] < receipts[i + 2]; k++) {
					if (s.times[k] >= from && s.times[k] < to) latencies.push(receipts[i + 3] - s.times[k]);
				}
			}
		}
		// Every measured edit must have reached every other editor exactly once.
		if (latencies.length !== edits * (EDITORS - 1)) {
			throw new Error(`${server.name}: ${latencies.length} receipts of ${edits} edits by ${EDITORS} editors`);
		}
		return { latencies, cpu: (cpu1 - cpu0) / ((to - from) / 1000), peakRss, edits };
	} finally {
		for (const c of clients) c.kill();
	}
}

interface Opened {
	ms: number[];
	/** Settled RSS of the server before and after. */
	before: number;
	after: number;
	client: Client;
}

/** Opens documents in one client process and holds them; the server's RSS growth per document once settled. */
async function openAll(server: Server, headers: Record<string, string>, docs: DocSpec[]): Promise<Opened> {
	const before = await settledRss(server.pid);
	const client = new Client();
	client.send({ kind: 'open', wsBase: server.wsBase, headers, docs, concurrency: OPEN_CONCURRENCY });
	const { ms } = await client.next('opened');
	return { ms, before, after: await settledRss(server.pid), client };
}

async function fill(server: Server, headers: Record<string, string>, docs: DocSpec[]): Promise<number[]> {
	const client = new Client();
	try {
		client.send({ kind: 'fill', wsBase: server.wsBase, headers, docs, concurrency: FILL_CONCURRENCY });
		return (await client.next('filled')).ms;
	} finally {
		client.kill();
	}
}

/** Holds one document open first, so that the code paths of opening one are loaded before memory is read. */
async function warmUp(server: Server, headers: Record<string, string>, doc: DocSpec): Promise<Client> {
	const client = new Client();
	client.send({ kind: 'open', wsBase: server.wsBase, headers, docs: [doc], concurrency: 1 });
	await client.next('opened');
	return client;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Figures 1–4: the same typing through the reference server and through Kuvend. */
async function typingFigures(dataDir: string): Promise<Row[]> {
	note(`${EDITORS} editors in ${PROCESSES} processes, ${EDITS_PER_SECOND} edits/s for ${TYPING_SECONDS} s after ${seconds(WARMUP_MS)} of warm-up...`);
	const ref = await startReference();
	const baseline = await typing(ref, 'draft:1', () => ({}));
	await ref.stop();

	const kuvend = await startKuvend(dataDir);
	const cookies = await Promise.all(MEMBERS.map((m) => signIn(kuvend.url, m)));
	const shared = await createDraft(kuvend.url, cookies[0], 'Strategjia kulturore e rrjetit 2027–2030');
	// Each editor its own connection; six people share the fifty of them.
	const measured = await typing(kuvend, shared, (i) => ({ cookie: cookies[i % cookies.length], origin: kuvend.url }));
	await kuvend.stop();
	note(`edits measured: ${measured.edits} (reference: ${baseline.edits})`);

	const name = `${EDITORS} editors, ${EDITS_PER_SECOND} edits/s`;
	return [
		{ figure: `${name}: update latency p50`, unit: 'ms', measured: percentile(measured.latencies, 50), baseline: percentile(baseline.latencies, 50), budget: { max: 5 } },
		{ figure: `${name}: update latency p99`, unit: 'ms', measured: percentile(measured.latencies, 99), baseline: percentile(baseline.latencies, 99), budget: { max: 50 } },
		{
			// lib.ts budgets are absolute: this one is computed from the reference's figure in the same run.
			figure: `${name}: server CPU, % of a core (budget 1.2× the reference's)`,
			unit: '%',
			measured: measured.cpu * 100,
			baseline: baseline.cpu * 100,
			budget: { max: 1.2 * baseline.cpu * 100 }
		},
		{ figure: `${name}: server peak RSS`, unit: 'MB', measured: measured.peakRss / MB, baseline: baseline.peakRss / MB }
	];
}

/**
 * Figures 5–7: 1,000 drafts, each given a 2,000-edit history through the server, then opened by a fresh Kuvend
 * process from its logs, one connection per document. The reference persists nothing: it is given the same
 * histories and keeps them in memory, so its load time is a sync from memory and its memory counts from before.
 */
async function memoryFigures(dataDir: string): Promise<Row[]> {
	let kuvend = await startKuvend(dataDir);
	const cookies = await Promise.all(MEMBERS.map((m) => signIn(kuvend.url, m)));
	note(`creating ${DOCS + 1} drafts through /drafts/new...`);
	let t0 = performance.now();
	const specs: DocSpec[] = [];
	for (let i = 0; i <= DOCS; i++) {
		const name = await createDraft(kuvend.url, cookies[i % cookies.length], `Projektligji nr. ${i + 1} për trashëgiminë kulturore`);
		specs.push({ name, seed: i % HISTORIES });
	}
	note(`drafts created in ${seconds(performance.now() - t0)}`);
	// The first document warms each server up (code paths of opening one loaded) and is not counted.
	const [warm, docs] = [specs[0], specs.slice(1)];
	const member = () => ({ cookie: cookies[0], origin: kuvend.url });

	t0 = performance.now();
	const stored = await fill(kuvend, member(), specs);
	const each = `p50 ${percentile(stored, 50).toFixed(1)} ms each, ${FILL_CONCURRENCY} at a time`;
	note(`kuvend: ${specs.length} histories stored in ${seconds(performance.now() - t0)} (${each})`);
	// Shutting down merges each log into one state, as a document unloads after its last editor leaves.
	await kuvend.stop();
	kuvend = await startKuvend(dataDir);
	const kWarm = await warmUp(kuvend, member(), warm);
	note(`kuvend: opening ${DOCS} documents...`);
	const measured = await openAll(kuvend, member(), docs);
	measured.client.kill();
	kWarm.kill();
	await kuvend.stop();

	const ref = await startReference();
	await fill(ref, {}, [warm]);
	const refWarm = await warmUp(ref, {}, warm);
	const refBefore = await settledRss(ref.pid);
	t0 = performance.now();
	await fill(ref, {}, docs);
	note(`reference: ${DOCS} histories given in ${seconds(performance.now() - t0)}; opening them...`);
	const baseline = await openAll(ref, {}, docs);
	baseline.client.kill();
	refWarm.kill();
	await ref.stop();

	return [
		{
			figure: `${DOCS} open documents (~5,000 chars, 2,000 edits): memory per document`,
			unit: 'KB',
			measured: (measured.after - measured.before) / DOCS / 1024,
			baseline: (baseline.after - refBefore) / DOCS / 1024,
			budget: { max: 1024 }
		},
		{ figure: `${DOCS} documents: load time p50 (reference: from memory)`, unit: 'ms', measured: percentile(measured.ms, 50), baseline: percentile(baseline.ms, 50) },
		{ figure: `${DOCS} documents: load time p99 (reference: from memory)`, unit: 'ms', measured: percentile(measured.ms, 99), baseline: percentile(baseline.ms, 99) }
	];
}

export async function run(): Promise<Row[]> {
	const data = dataDir();
	try {
		// DRAFTS_BENCH=typing or =memory runs one part alone (quicker while working on it).
		const part = process.env.DRAFTS_BENCH;
		const typingRows = part === 'memory' ? [] : await typingFigures(data.path);
		const memoryRows = part === 'typing' ? [] : await memoryFigures(data.path);
		return [...typingRows, ...memoryRows];
	} finally {
		for (const client of running.clients) client.kill();
		for (const server of running.servers) await server.stop();
		data.remove();
	}
}
