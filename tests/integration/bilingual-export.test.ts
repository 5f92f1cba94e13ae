import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { findVersion } from '../../server/db/repositories/draft.repository.js';
import { translationVersionsOf } from '../../server/db/repositories/draft-translation.repository.js';
import { ExportPool } from '../../server/render/export-pool.js';
import type { Authenticated } from '../../server/services/auth.service.js';
import { docNameOf } from '../../server/services/drafts.service.js';
import { blocksOfDoc, translationDocName } from '../../src/lib/shared/translations.js';
import { getPage, signInAs, startTestApp, type TestApp } from './helpers/app.js';
import { writeParagraphs } from './helpers/yjs.js';

let app: TestApp;
let author: { cookie: string; auth: Authenticated };
let id: number;
const drafts = () => app.ctx.services.drafts;
const beside = (query = '') => `/drafts/${id}/export?format=pdf&text=el&beside=source${query}`;

const paragraph = (doc: Y.Doc, i: number) => (doc.getXmlFragment('default').get(i) as Y.XmlElement).get(0) as Y.XmlText;
function rewrite(doc: Y.Doc, i: number, text: string) {
	const p = paragraph(doc, i);
	p.delete(0, p.length);
	p.insert(0, text);
}

/** The text of a PDF as pdftotext lays it out: both columns on each line, as they stand on the page. */
function layoutText(pdf: Buffer): string {
	const file = path.join(app.dataDir, `export-${Math.random().toString(36).slice(2)}.pdf`);
	writeFileSync(file, pdf);
	return execFileSync('/usr/bin/pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
const lineWith = (text: string, words: string) => text.split('\n').find((line) => line.includes(words)) ?? '';

async function download(query = '', cookie = author.cookie): Promise<{ res: Response; text: string }> {
	const res = await getPage(app.url, beside(query), cookie);
	expect(res.status).toBe(200);
	return { res, text: layoutText(Buffer.from(await res.arrayBuffer())) };
}

beforeAll(async () => {
	app = await startTestApp();
	author = await signInAs(app, 'member1@demo.test');
	id = await drafts().create(author.auth, { title: 'Politika e gjuhëve', summary: '', group: '', field: 'cultural-policy', visibility: 'members' });
	await app.ctx.services.documents.change(docNameOf(id), (doc) => writeParagraphs(doc, ['Kultura është e përbashkët.', 'Rrjeti takohet çdo muaj.', 'Buxheti ndahet drejt.']));
	// The translation starts as a copy of the source under the same block ids; a translator writes it in Greek.
	await drafts().addTranslation(author.auth, id, 'el');
	await app.ctx.services.documents.change(translationDocName(id, 'el'), (doc) => {
		rewrite(doc, 0, 'Ο πολιτισμός είναι κοινός.');
		rewrite(doc, 1, 'Το δίκτυο συναντιέται.');
		rewrite(doc, 2, 'Ο προϋπολογισμός μοιράζεται.');
	});
	const source = new Y.Doc();
	Y.applyUpdate(source, await app.ctx.services.documents.state(docNameOf(id)));
	for (const block of blocksOfDoc(source)) await drafts().confirmTranslation(author.auth, id, 'el', block.id!);
	// A new Albanian paragraph, not translated yet; the second one changed after its translation was confirmed.
	await app.ctx.services.documents.change(docNameOf(id), (doc) => {
		writeParagraphs(doc, ['Një paragraf i ri.']);
		(doc.getXmlFragment('default').get(3) as Y.XmlElement).setAttribute('bid', 'new-paragraph-4');
		paragraph(doc, 1).insert(paragraph(doc, 1).length, ' Edhe online.');
	});
});
afterAll(async () => app?.dispose());

// CI installs poppler-utils, which provides pdftotext.
describe.skipIf(!existsSync('/usr/bin/pdftotext'))('a draft and its translation side by side, as a PDF', () => {
	it('sets each Albanian paragraph beside its Greek one, on the same lines, marking what is missing or outdated', async () => {
		const { res, text } = await download();
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('content-disposition')).toContain('politika-e-gjuheve-sq-el.pdf');
		// Headed by both languages, in the reader's (Albanian).
		expect(lineWith(text, 'Origjinali · Shqip')).toContain('Përkthimi · Ελληνικά');
		expect(lineWith(text, 'Kultura është e përbashkët.')).toContain('Ο πολιτισμός είναι κοινός.');
		expect(lineWith(text, 'Buxheti ndahet drejt.')).toContain('Ο προϋπολογισμός μοιράζεται.');
		// The outdated translation is printed under its mark; the missing one's cell holds the mark alone.
		expect(lineWith(text, 'Rrjeti takohet çdo muaj.')).toContain('I vjetëruar');
		expect(text).toContain('Το δίκτυο συναντιέται.');
		expect(lineWith(text, 'Një paragraf i ri.')).toContain('Ende i papërkthyer');
		// In the source's order.
		const at = (words: string) => text.indexOf(words);
		expect(at('Kultura është')).toBeLessThan(at('Rrjeti takohet'));
		expect(at('Rrjeti takohet')).toBeLessThan(at('Buxheti ndahet'));
		expect(at('Buxheti ndahet')).toBeLessThan(at('Një paragraf i ri.'));
	});

	it('speaks the reader\'s language around the texts', async () => {
		const file = await drafts().export(author.auth, id, 'pdf', null, 'el', '127.0.0.2', 'el', 'source');
		const text = layoutText(file.body as Buffer);
		expect(lineWith(text, 'Πρωτότυπο · Shqip')).toContain('Μετάφραση · Ελληνικά');
		expect(lineWith(text, 'Një paragraf i ri.')).toContain('Δεν έχει μεταφραστεί ακόμη');
	});

	it('is refused as the other exports are: to a visitor of a members\' draft, and for a translation or text it has not', async () => {
		const visitor = await getPage(app.url, beside());
		expect(visitor.status).not.toBe(200);
		expect(visitor.status).toBe((await getPage(app.url, `/drafts/${id}/export?format=pdf&text=el`)).status);
		expect(visitor.headers.get('content-type')).not.toBe('application/pdf');
		for (const query of ['format=pdf&text=en&beside=source', 'format=pdf&text=sq&beside=source', 'format=pdf&text=el&beside=el', 'format=pdf&beside=source', 'format=md&text=el&beside=source', 'format=html&text=el&beside=source']) {
			expect((await getPage(app.url, `/drafts/${id}/export?${query}`, author.cookie)).status, query).toBe(404);
		}
		expect((await getPage(app.url, `/drafts/${id + 1000}/export?format=pdf&text=el&beside=source`, author.cookie)).status).toBe(404);
	});

	it('is rendered once for the same texts, and again once a confirmation changes what it marks', async () => {
		const render = vi.spyOn(ExportPool.prototype, 'render');
		try {
			await download();
			await download();
			expect(render).toHaveBeenCalledTimes(0);
			const source = new Y.Doc();
			Y.applyUpdate(source, await app.ctx.services.documents.state(docNameOf(id)));
			await drafts().confirmTranslation(author.auth, id, 'el', blocksOfDoc(source)[1].id!);
			const { text } = await download();
			expect(render).toHaveBeenCalledTimes(1);
			expect(text).not.toContain('I vjetëruar');
			expect(lineWith(text, 'Rrjeti takohet çdo muaj. Edhe')).toContain('Το δίκτυο συναντιέται.');
		} finally {
			render.mockRestore();
		}
	});

	it('prints a version from the texts and hashes each language stored with it', async () => {
		await drafts().setStatus(author.auth, id, 'frozen', { outdatedConfirmed: true });
		const [version, [greek]] = await Promise.all([findVersion(app.ctx.db, id, 1), translationVersionsOf(app.ctx.db, id, 1)]);
		const { res, text } = await download('&v=1');
		expect(res.headers.get('content-disposition')).toContain('politika-e-gjuheve-v1-sq-el.pdf');
		expect(text).toContain('v1');
		const flat = text.replace(/\s+/g, '');
		expect(flat).toContain(version!.hash.slice(0, 24));
		expect(flat).toContain(greek.hash.slice(0, 24));
		expect(lineWith(text, 'Kultura është e përbashkët.')).toContain('Ο πολιτισμός είναι κοινός.');
		expect(lineWith(text, 'Një paragraf i ri.')).toContain('Ende i papërkthyer');
		expect((await getPage(app.url, beside('&v=2'), author.cookie)).status).toBe(404);
	});
});
