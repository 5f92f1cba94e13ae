/**
 * Export benchmark (issue #14 point 3): how long `/healthz` waits while six large PDFs render, beside the same probe
 * on an idle server and while the same six PDFs render on the main thread (what Kuvend did before the worker pool),
 * in one run. Also the process's memory at its peak during the exports, beside its memory before them.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { docNameOf } from '../../server/services/drafts.service.js';
import { renderExport } from '../../server/render/export.renderer.js';
import { jsonOf } from '../../server/render/prosemirror-json.js';
import { signIn } from '../integration/helpers/app.js';
import { actAs, note, percentile, sleep, startBenchApp, type BenchApp, type Row } from './lib.js';

const EXPORTS = 6;
/** About a hundred PDF pages each: the review's "large draft". */
const PARAGRAPHS = 2_500;
const PROBE_EVERY_MS = 20;
const IDLE_MS = 3_000;
const MB = 1024 * 1024;

const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

/** Probes /healthz every PROBE_EVERY_MS until `work` settles; the answer times (ms) and the highest RSS seen. */
async function probeDuring(url: string, work: () => Promise<unknown>): Promise<{ samples: number[]; peakRss: number }> {
	let running = true;
	let peakRss = rss();
	const samples: number[] = [];
	const probe = (async () => {
		while (running) {
			const t0 = performance.now();
			const res = await fetch(`${url}/healthz`);
			await res.arrayBuffer();
			if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
			samples.push(performance.now() - t0);
			peakRss = Math.max(peakRss, rss());
			await sleep(PROBE_EVERY_MS);
		}
	})();
	try {
		await work();
	} finally {
		running = false;
		await probe;
	}
	return { samples, peakRss };
}

async function largeDraft(app: BenchApp, n: number): Promise<number> {
	const author = await actAs(app, 'member1@demo.test');
	const id = await app.ctx.services.drafts.create(author, { title: `Buxheti i kulturës ${n}`, summary: '', group: '', field: 'cultural-policy', visibility: 'members' });
	await app.ctx.services.documents.change(docNameOf(id), (doc) => {
		const fragment = doc.getXmlFragment('default');
		for (let i = 0; i < PARAGRAPHS; i++) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(`${i + 1}. Këshilli bashkiak miraton buxhetin për kulturën pas dëgjesës publike me shoqatat, artistët dhe banorët e lagjeve (${n}).`)]);
			fragment.insert(fragment.length, [p]);
		}
	});
	return id;
}

export async function run(): Promise<Row[]> {
	const app = await startBenchApp({ pages: true });
	try {
		const ids: number[] = [];
		for (let i = 0; i < EXPORTS; i++) ids.push(await largeDraft(app, i + 1));
		const cookie = await signIn(app.url, 'member1@demo.test');
		const contents = await Promise.all(ids.map(async (id) => JSON.stringify(jsonOf(await app.ctx.services.documents.state(docNameOf(id))))));

		note('idle /healthz');
		const idle = await probeDuring(app.url, () => sleep(IDLE_MS));

		note(`${EXPORTS} PDFs rendered on the main thread (the baseline: no worker pool)`);
		const inline = await probeDuring(app.url, async () => {
			for (const [i, content] of contents.entries()) {
				await renderExport({ format: 'pdf', content, title: `Buxheti ${i + 1}`, subtitle: '', lang: 'sq' });
				await sleep(0);
			}
		});

		const rssBefore = rss();
		note(`${EXPORTS} PDFs exported over HTTP at once (worker pool)`);
		const started = performance.now();
		const pooled = await probeDuring(app.url, () =>
			Promise.all(
				ids.map(async (id) => {
					const res = await fetch(`${app.url}/drafts/${id}/export?format=pdf`, { headers: { cookie } });
					const body = Buffer.from(await res.arrayBuffer());
					if (res.status !== 200 || body.subarray(0, 5).toString() !== '%PDF-') throw new Error(`export ${id} answered ${res.status}`);
				})
			)
		);
		const exportSeconds = (performance.now() - started) / 1000;
		note(`the exports took ${exportSeconds.toFixed(1)} s; ${pooled.samples.length} probes answered`);

		return [
			{ figure: `/healthz p50 during ${EXPORTS} PDF exports (baseline: idle)`, unit: 'ms', measured: percentile(pooled.samples, 50), baseline: percentile(idle.samples, 50) },
			{ figure: `/healthz p99 during ${EXPORTS} PDF exports (baseline: idle)`, unit: 'ms', measured: percentile(pooled.samples, 99), baseline: percentile(idle.samples, 99) },
			{
				figure: `/healthz slowest during ${EXPORTS} PDF exports (baseline: rendered on the main thread)`,
				unit: 'ms',
				measured: Math.max(...pooled.samples),
				baseline: Math.max(...inline.samples),
				budget: { max: 50 }
			},
			{ figure: `RSS at peak during the exports (baseline: before them)`, unit: 'MB', measured: pooled.peakRss / MB, baseline: rssBefore / MB }
		];
	} finally {
		await app.dispose();
	}
}
