import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Authenticated } from '../../server/services/auth.service.js';
import { docNameOf } from '../../server/services/drafts.service.js';
import { ExportPool } from '../../server/render/export-pool.js';
import { renderExport } from '../../server/render/export.renderer.js';
import { jsonOf } from '../../server/render/prosemirror-json.js';
import { getPage, signIn, startTestApp, type TestApp } from './helpers/app.js';

let app: TestApp;
let base: string;
let author: { cookie: string; auth: Authenticated };

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	const cookie = await signIn(base, 'member1@demo.test');
	author = { cookie, auth: (await app.ctx.services.auth.authenticate(decodeURIComponent(cookie.split('=')[1])))! };
});
afterAll(async () => app?.dispose());

/** A draft of `paragraphs` paragraphs of Albanian prose (about 40 PDF pages a thousand). */
async function draftOf(title: string, paragraphs: number): Promise<number> {
	const id = await app.ctx.services.drafts.create(author.auth, { title, summary: '', group: '', field: 'cultural-policy', visibility: 'members' });
	await app.ctx.services.documents.change(docNameOf(id), (doc) => {
		const fragment = doc.getXmlFragment('default');
		for (let i = 0; i < paragraphs; i++) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(`${i + 1}. Këshilli bashkiak miraton buxhetin për kulturën pas dëgjesës publike me shoqatat, artistët dhe banorët e lagjeve.`)]);
			fragment.insert(fragment.length, [p]);
		}
	});
	return id;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await work();
	return { value, ms: performance.now() - start };
}

describe('draft exports', () => {
	// Rendered on the main thread (DraftExports calling renderExport itself instead of the pool), /healthz waited for
	// the renders one after the other and this test failed: the probe's fetch gave up. With the pool its slowest
	// answer was 0.37 s against 5.5 s for one render, on a machine running four other test suites.
	it('keeps /healthz answering while six large PDFs render', async () => {
		const ids = [];
		for (let i = 0; i < 6; i++) ids.push(await draftOf(`Buxheti i kulturës ${i + 1}`, 2500));
		// What one of these PDFs costs the thread that renders it.
		const content = JSON.stringify(jsonOf(await app.ctx.services.documents.state(docNameOf(ids[0]))));
		const oneRender = (await timed(() => renderExport({ format: 'pdf', content, title: 'Buxheti', subtitle: '', lang: 'sq' }))).ms;
		let exporting = true;
		const health: number[] = [];
		const probe = (async () => {
			while (exporting) {
				const { value, ms } = await timed(() => fetch(`${base}/healthz`));
				expect(value.status).toBe(200);
				health.push(ms);
				await new Promise((r) => setTimeout(r, 20));
			}
		})();
		const exports = await Promise.all(
			ids.map((id) =>
				timed(async () => {
					const res = await getPage(base, `/drafts/${id}/export?format=pdf`, author.cookie);
					expect(res.status).toBe(200);
					return Buffer.from(await res.arrayBuffer());
				})
			)
		);
		exporting = false;
		await probe;
		for (const { value } of exports) expect(value.subarray(0, 5).toString()).toBe('%PDF-');
		expect(health.length).toBeGreaterThan(5);
		// A ratio, not a time, and of the typical probe, not the slowest: rendered on the main thread, six renders keep
		// it busy back to back and a probe waits on average half a render (about oneRender / 2); in the worker pool a
		// probe waits only when the machine's two cores are both busy, which a busy machine makes spikes of, not the
		// rule (the slowest probe once reached 250 ms against a 226 ms bound while other suites ran). Seen failing with
		// the renders moved onto the main thread: only 3 probes came back during the six exports.
		const typical = [...health].sort((a, b) => a - b)[Math.floor(health.length / 2)];
		expect(typical).toBeLessThan(oneRender / 4);
	}, 180_000);

	it('renders the same text in the same format and language once', async () => {
		const id = await draftOf('Rregullorja e sallave', 20);
		const render = vi.spyOn(ExportPool.prototype, 'render');
		try {
			const first = await getPage(base, `/drafts/${id}/export?format=pdf`, author.cookie);
			const again = await getPage(base, `/drafts/${id}/export?format=pdf`, author.cookie);
			expect(Buffer.from(await again.arrayBuffer())).toEqual(Buffer.from(await first.arrayBuffer()));
			expect(render).toHaveBeenCalledTimes(1);
			await app.ctx.services.documents.change(docNameOf(id), (doc) => doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]));
			expect((await getPage(base, `/drafts/${id}/export?format=pdf`, author.cookie)).status).toBe(200);
			expect(render).toHaveBeenCalledTimes(2);
		} finally {
			render.mockRestore();
		}
	});

	// Without the per-address window every request was answered 200.
	it('refuses an address that asks for too many exports in a minute, in the reader’s language', async () => {
		const id = await draftOf('Orari i bibliotekës', 3);
		let res: Response | undefined;
		for (let i = 0; i < 40; i++) {
			res = await getPage(base, `/drafts/${id}/export?format=md`, author.cookie);
			if (res.status !== 200) break;
		}
		expect(res!.status).toBe(429);
		expect(await res!.text()).toContain('Shumë përpjekje');
	});
});
