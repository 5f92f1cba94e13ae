import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker is plain JavaScript run from a string, so it needs no TypeScript loader in any way Kuvend runs.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
try {
	const from = new SQLite(workerData.from, { fileMustExist: true });
	try {
		from.pragma('journal_mode = DELETE');
		from.prepare('VACUUM INTO ?').run(workerData.to);
	} finally {
		from.close();
	}
	const to = new SQLite(workerData.to, { fileMustExist: true });
	try {
		to.pragma('journal_mode = DELETE');
	} finally {
		to.close();
	}
	parentPort.postMessage({ ok: true });
} catch (error) {
	parentPort.postMessage({ ok: false, message: error.message });
}
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Rewrites a private copy of the database into `to` with VACUUM INTO, in a worker thread (seconds for a large
 * database, never on the server's event loop). A page-for-page copy keeps what the pages show beyond their rows: the
 * order rows were written in (SQLite places a page's cells in the order they came), and deleted rows in free space.
 * For a secret vote that order pairs each participation with its ballot, as they are written together; a rewritten
 * file has every table in key order and no free pages. `to` is a rollback-journal file, complete on its own.
 */
export function compactCopy(from: string, to: string, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('backup stopped'));
		const worker = new Worker(WORKER, { eval: true, workerData: { driver: DRIVER, from, to } });
		const stop = () => void worker.terminate();
		signal?.addEventListener('abort', stop, { once: true });
		let answered = false;
		worker.once('message', (reply: { ok: true } | { ok: false; message: string }) => {
			answered = true;
			if (reply.ok) resolve();
			else reject(new Error(reply.message));
		});
		worker.once('error', reject);
		worker.once('exit', () => {
			signal?.removeEventListener('abort', stop);
			if (!answered) reject(new Error(signal?.aborted ? 'backup stopped' : 'the compacting worker stopped'));
		});
	});
}
