import { parentPort } from 'node:worker_threads';
import { renderExport, type ExportJob } from './export.renderer.js';

/** One export at a time, off the main thread (see ExportPool). */
parentPort!.on('message', (job: ExportJob) => {
	renderExport(job).then(
		(body) => parentPort!.postMessage({ ok: true, body }),
		(error: unknown) => parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) })
	);
});
