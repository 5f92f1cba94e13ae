/**
 * The load generator behind httpLoad() (lib.ts), run in its own process so it does not share the server's core.
 * Receives { url, clients, seconds, headers } over IPC, answers { result } or { error }, then exits.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile, type LoadResult } from './lib.js';

interface Job {
	url: string;
	clients: number;
	seconds: number;
	headers: Record<string, string>;
}

const WARMUP_MS = 500;

/** One GET: time to first byte and the body's size, or `failed` for any status but 200 (the body is still read). */
function get(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<{ ttfb: number; bytes: number; failed: boolean }> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = http.get(url, { agent, headers }, (res) => {
			const ttfb = performance.now() - t0;
			let bytes = 0;
			res.on('data', (chunk: Buffer) => (bytes += chunk.length));
			res.on('end', () => resolve({ ttfb, bytes, failed: res.statusCode !== 200 }));
			res.on('error', reject);
		});
		req.on('error', reject);
	});
}

async function load({ url, clients, seconds, headers }: Job): Promise<LoadResult> {
	const target = new URL(url);
	const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
	const samples: number[] = [];
	let bytes = 0;
	let errors = 0;
	const start = performance.now();
	const measureFrom = start + WARMUP_MS;
	const end = measureFrom + seconds * 1000;
	// Throughput and latency count the responses completed inside the measured window (after the warm-up); a failed
	// request (a status other than 200, a reset connection) is counted in `errors`, not timed, and the client goes on.
	const client = async () => {
		while (performance.now() < end) {
			const r = await get(agent, target, headers).catch(() => null);
			const done = performance.now();
			if (!r || r.failed) {
				if (done >= measureFrom && done <= end) errors++;
				continue;
			}
			if (done >= measureFrom && done <= end) {
				samples.push(r.ttfb);
				bytes = r.bytes;
			}
		}
	};
	await Promise.all(Array.from({ length: clients }, client));
	agent.destroy();
	return { requests: samples.length, seconds, rps: samples.length / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99), bytes, errors };
}

process.once('message', (job: Job) => {
	load(job).then(
		(result) => process.send!({ result }, () => process.exit(0)),
		(error: Error) => process.send!({ error: error.message }, () => process.exit(1))
	);
});
