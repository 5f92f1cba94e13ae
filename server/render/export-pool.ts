import { Worker } from 'node:worker_threads';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { ExportJob } from './export.renderer.js';

/** How the pool is sized; the defaults keep one core for the event loop on a small machine. */
export interface ExportPoolOptions {
	/** Workers rendering at the same time. */
	workers: number;
	/** Exports waiting for a worker before more are refused. */
	queue: number;
	/** A worker nobody needed for this long is stopped (a PDF worker holds fonts and pdfkit, ~60 MB). */
	idleMs: number;
	/** Heap of one worker: a draft too large to render stops its worker, not the server. */
	heapMb: number;
}

type Pending = { job: ExportJob; resolve: (body: Buffer) => void; reject: (error: Error) => void };
type Reply = { ok: true; body: Uint8Array } | { ok: false; message: string };

const WORKER_URL = new URL(`./export.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** A new worker on export.worker. Run from source (npm start, tests) it is TypeScript, and Node 20 passes no
 * `--import tsx` to workers: the worker registers tsx itself before loading the module. */
function startWorker(resourceLimits: { maxOldGenerationSizeMb: number }): Worker {
	if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { resourceLimits });
	const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
	const code = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
	return new Worker(code, { eval: true, resourceLimits });
}

/**
 * Renders exports in worker threads, so a large PDF (seconds of pdfkit layout) never holds up the event loop that
 * answers everyone else. Workers start when needed and stop when idle; the queue is bounded, and a full queue is
 * refused as rate_limited rather than growing memory.
 */
export class ExportPool {
	readonly #options: ExportPoolOptions;
	readonly #idle: Worker[] = [];
	readonly #busy = new Map<Worker, Pending>();
	readonly #queue: Pending[] = [];
	readonly #timers = new Map<Worker, NodeJS.Timeout>();

	constructor(options: Partial<ExportPoolOptions> = {}) {
		this.#options = { workers: 2, queue: 16, idleMs: 30_000, heapMb: 256, ...options };
	}

	render(job: ExportJob): Promise<Buffer> {
		if (this.#queue.length >= this.#options.queue) return Promise.reject(new DomainError('rate_limited', 'export queue full', { retryAfter: '30' }));
		return new Promise((resolve, reject) => {
			this.#queue.push({ job, resolve, reject });
			this.#next();
		});
	}

	#next(): void {
		if (!this.#queue.length) return;
		const worker = this.#idle.pop() ?? (this.#busy.size < this.#options.workers ? this.#spawn() : null);
		if (!worker) return;
		clearTimeout(this.#timers.get(worker));
		this.#timers.delete(worker);
		const pending = this.#queue.shift()!;
		this.#busy.set(worker, pending);
		worker.ref();
		worker.postMessage(pending.job);
	}

	#spawn(): Worker {
		const worker = startWorker({ maxOldGenerationSizeMb: this.#options.heapMb });
		worker.on('message', (reply: Reply) => {
			const pending = this.#busy.get(worker);
			this.#busy.delete(worker);
			if (reply.ok) pending?.resolve(Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength));
			else pending?.reject(new Error(`export failed: ${reply.message}`));
			this.#rest(worker);
			this.#next();
		});
		// A worker that dies (out of its heap, a crash) takes only its own export with it.
		worker.on('error', (error) => this.#lost(worker, error));
		worker.on('exit', (code) => this.#lost(worker, new Error(`export worker stopped (exit code ${code})`)));
		return worker;
	}

	#rest(worker: Worker): void {
		worker.unref();
		this.#idle.push(worker);
		const timer = setTimeout(() => void worker.terminate(), this.#options.idleMs);
		timer.unref();
		this.#timers.set(worker, timer);
	}

	#lost(worker: Worker, error: Error): void {
		clearTimeout(this.#timers.get(worker));
		this.#timers.delete(worker);
		const idle = this.#idle.indexOf(worker);
		if (idle >= 0) this.#idle.splice(idle, 1);
		const pending = this.#busy.get(worker);
		this.#busy.delete(worker);
		pending?.reject(error);
		this.#next();
	}
}
