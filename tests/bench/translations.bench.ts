/**
 * Drafts in three languages (issue #19, point 6): how long a 40-paragraph draft with two translations takes to open
 * side by side — the page rendered by the server (which aligns both translations with the source to count their
 * paragraphs to update) and the two Yjs connections its editors make (the source, the translation), each synced —
 * beside the same draft in one language opened on its own page
 * with its one connection, in the same run. Cold: the first open after a restart (every document read from the
 * database); warm: opened again while its documents are in memory.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { startApp } from '../../server/app.js';
import { docNameOf } from '../../server/services/drafts.service.js';
import { translationDocName } from '../../src/lib/shared/translations.js';
import { signIn } from '../integration/helpers/app.js';
import { provider, synced } from '../integration/helpers/yjs.js';
import { actAs, note, percentile, startBenchApp, type Row } from './lib.js';

const DRAFTS = 15;
const PARAGRAPHS = 40;
const BUDGET_MS = 300;

async function makeDraft(app: Awaited<ReturnType<typeof startBenchApp>>, n: number, translated: boolean): Promise<number> {
	const { drafts, documents } = app.ctx.services;
	const author = await actAs(app, 'member1@demo.test');
	const id = await drafts.create(author, { title: `Thirrje ${n}`, summary: '', group: '', field: 'cultural-policy', visibility: 'members' });
	await documents.change(docNameOf(id), (doc) => {
		const fragment = doc.getXmlFragment('default');
		for (let i = 0; i < PARAGRAPHS; i++) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(`${i + 1}. Rrjeti hap një thirrje për rezidenca artistike në Korçë, Vlorë, Artë dhe Korfuz; aplikimet mbyllen në fund të muajit (${n}).`)]);
			fragment.insert(fragment.length, [p]);
		}
	});
	if (translated) {
		await drafts.addTranslation(author, id, 'el');
		await drafts.addTranslation(author, id, 'en');
	}
	return id;
}

/** Opens a page and syncs its documents at the same time, as a browser does; the time until all are there (ms). */
async function open(url: string, cookie: string, path: string, docs: string[]): Promise<number> {
	const t0 = performance.now();
	const ydocs = docs.map(() => new Y.Doc());
	const providers = docs.map((name, i) => provider(url, ydocs[i], name, cookie));
	const page = fetch(`${url}${path}`, { headers: { cookie, accept: 'text/html' } }).then(async (res) => {
		if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
		await res.text();
	});
	await Promise.all([page, ...providers.map(synced)]);
	const ms = performance.now() - t0;
	for (const p of providers) p.destroy();
	for (const d of ydocs) d.destroy();
	return ms;
}

export async function run(): Promise<Row[]> {
	let app = await startBenchApp({ pages: true });
	try {
		note(`making ${DRAFTS} drafts of ${PARAGRAPHS} paragraphs in three languages and ${DRAFTS} in one`);
		const three: number[] = [];
		const one: number[] = [];
		for (let n = 0; n < DRAFTS; n++) {
			three.push(await makeDraft(app, n, true));
			one.push(await makeDraft(app, n, false));
		}
		// A restart: every document is merged and let go, so the first opens read them from the database.
		await app.stop();
		const again = await startApp(app.config);
		app = { ...app, ...again, dispose: app.dispose, stop: again.stop };
		const cookie = await signIn(app.url, 'member2@demo.test');
		const times = { threeCold: [] as number[], oneCold: [] as number[], threeWarm: [] as number[], oneWarm: [] as number[] };
		const sideBySide = (id: number) => open(app.url, cookie, `/drafts/${id}/languages/el`, [docNameOf(id), translationDocName(id, 'el')]);
		const alone = (id: number) => open(app.url, cookie, `/drafts/${id}`, [docNameOf(id)]);
		// Taken in turn, so that whatever else the machine does weighs on both alike.
		for (let n = 0; n < DRAFTS; n++) {
			times.oneCold.push(await alone(one[n]));
			times.threeCold.push(await sideBySide(three[n]));
			times.oneWarm.push(await alone(one[n]));
			times.threeWarm.push(await sideBySide(three[n]));
		}
		const p50 = (s: number[]) => Math.round(percentile(s, 50) * 10) / 10;
		const p95 = (s: number[]) => Math.round(percentile(s, 95) * 10) / 10;
		return [
			{ figure: `open side by side, 3 languages × ${PARAGRAPHS} paragraphs, cold, p50 (baseline: 1 language)`, unit: 'ms', measured: p50(times.threeCold), baseline: p50(times.oneCold), budget: { max: BUDGET_MS } },
			{ figure: `open side by side, 3 languages, cold, p95 (baseline: 1 language)`, unit: 'ms', measured: p95(times.threeCold), baseline: p95(times.oneCold), budget: { max: BUDGET_MS } },
			{ figure: `open side by side, 3 languages, warm, p50 (baseline: 1 language)`, unit: 'ms', measured: p50(times.threeWarm), baseline: p50(times.oneWarm), budget: { max: BUDGET_MS } },
			{ figure: `open side by side, 3 languages, warm, p95 (baseline: 1 language)`, unit: 'ms', measured: p95(times.threeWarm), baseline: p95(times.oneWarm) }
		];
	} finally {
		await app.dispose();
	}
}
