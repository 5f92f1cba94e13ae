import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startApp } from '../../server/app.js';
import { translationVersionsOf } from '../../server/db/repositories/draft-translation.repository.js';
import { findVersion } from '../../server/db/repositories/draft.repository.js';
import { blocksOfDoc, type AlignedRow } from '../../src/lib/shared/translations.js';
import { postForm, signIn, signInAs, startTestApp, type TestApp } from './helpers/app.js';
import { voteInput } from './helpers/votes.js';
import { closeCode, provider, synced, writeParagraphs } from './helpers/yjs.js';

const apps: { stop(): Promise<void> }[] = [];
afterAll(async () => {
	for (const app of apps.reverse()) await app.stop();
});

/** Resolves once `check` holds for the document (it is checked at every update). */
const until = (doc: Y.Doc, check: () => boolean) =>
	new Promise<void>((resolve) => {
		if (check()) return resolve();
		const on = () => check() && (doc.off('update', on), resolve());
		doc.on('update', on);
	});
const states = (rows: AlignedRow[]) => rows.map((r) => r.state);
const paragraph = (doc: Y.Doc, i: number) => (doc.getXmlFragment('default').get(i) as Y.XmlElement).get(0) as Y.XmlText;

describe('a draft in two languages, edited at once', () => {
	it('aligns, marks stale paragraphs (kept across a restart), refuses a freeze while outdated and versions each language', async () => {
		let app: TestApp = await startTestApp();
		apps.push({ stop: () => app.dispose() });
		const author = await signInAs(app, 'member1@demo.test');
		const greek = await signInAs(app, 'member2@demo.test');
		const created = await postForm(app.url, '/drafts/new', { title: 'Politika e përbashkët', summary: '', group: '', field: 'theatre', visibility: 'members' }, author.cookie);
		const id = Number(created.headers.get('location')!.split('/').pop());
		const drafts = () => app.ctx.services.drafts;

		const sq = new Y.Doc();
		const sqp = provider(app.url, sq, `draft:${id}`, author.cookie);
		await synced(sqp);
		writeParagraphs(sq, ['Kultura është e përbashkët.', 'Rrjeti takohet çdo muaj.']);
		// A language of no translation is no document (fails, the connection accepted, without the languages check in
		// DraftTranslations.documentAccess); only stewards add one.
		expect(await closeCode(app.url, `/yjs/draft-lang:${id}-el`, { origin: app.url, cookie: greek.cookie })).toBe(4403);
		await expect(drafts().addTranslation(greek.auth, id, 'el')).rejects.toMatchObject({ code: 'forbidden' });
		await expect(drafts().addTranslation(author.auth, id, 'sq')).rejects.toMatchObject({ code: 'invalid_input' });
		await drafts().addTranslation(author.auth, id, 'el');
		// The source's blocks got their ids, which reached the connected editor; the translation is a copy under them.
		await until(sq, () => blocksOfDoc(sq).every((b) => b.id));
		const el = new Y.Doc();
		const elp = provider(app.url, el, `draft-lang:${id}-el`, greek.cookie);
		await synced(elp);
		expect(blocksOfDoc(el).map((b) => b.id)).toEqual(blocksOfDoc(sq).map((b) => b.id));
		expect(states(await drafts().translationRows(author.auth, id, 'el'))).toEqual(['unconfirmed', 'unconfirmed']);

		// Both languages edited at the same moment by two editors, each seen by a second client of the same language.
		const el2 = new Y.Doc();
		const el2p = provider(app.url, el2, `draft-lang:${id}-el`, (await signInAs(app, 'member4@demo.test')).cookie);
		await synced(el2p);
		el.transact(() => {
			paragraph(el, 0).delete(0, paragraph(el, 0).length);
			paragraph(el, 0).insert(0, 'Ο πολιτισμός είναι κοινός.');
		});
		el2.transact(() => {
			paragraph(el2, 1).delete(0, paragraph(el2, 1).length);
			paragraph(el2, 1).insert(0, 'Το δίκτυο συναντιέται κάθε μήνα.');
		});
		writeParagraphs(sq, ['Buxheti ndahet drejt.']);
		await until(el, () => blocksOfDoc(el).every((b) => /[α-ω]/.test(b.text)));
		await until(el2, () => blocksOfDoc(el2).every((b) => /[α-ω]/.test(b.text)));
		expect(blocksOfDoc(el)).toEqual(blocksOfDoc(el2));
		const [p1, p2] = blocksOfDoc(sq).map((b) => b.id!);
		for (const block of [p1, p2]) await drafts().confirmTranslation(greek.auth, id, 'el', block);
		// The new Albanian paragraph has no id until an editor's client gives it one; with one, it is missing in Greek.
		sq.transact(() => (sq.getXmlFragment('default').get(2) as Y.XmlElement).setAttribute('bid', 'new-paragraph-3'));
		await until(sq, () => true);
		const rowsNow = async () => (await drafts().translationRows(author.auth, id, 'el')).filter((r) => r.source);
		await expect.poll(async () => states(await rowsNow())).toEqual(['current', 'current', 'missing']);
		await expect(drafts().confirmTranslation(greek.auth, id, 'el', 'new-paragraph-3')).rejects.toMatchObject({ code: 'conflict' });

		// A source edit after the confirmation makes that paragraph outdated, with the text it was confirmed against.
		paragraph(sq, 1).insert(paragraph(sq, 1).length - 1, ' dhe sipas nevojës');
		await expect.poll(async () => states(await rowsNow())).toEqual(['current', 'outdated', 'missing']);
		expect((await rowsNow())[1].confirmed).toBe('Rrjeti takohet çdo muaj.');
		expect((await drafts().languages(author.auth, id)).translations).toEqual([{ lang: 'el', docName: `draft-lang:${id}-el`, toUpdate: 2 }]);

		// ...and stays so across a restart (the documents are merged at the stop, the confirmations are in the database).
		for (const p of [sqp, elp, el2p]) p.destroy();
		await app.stop();
		const again = await startApp(app.config);
		app = { ...app, ...again, stop: again.stop } as TestApp;
		apps.push({ stop: () => again.stop() });
		expect(states(await rowsNow())).toEqual(['current', 'outdated', 'missing']);

		// Freezing is refused while Greek has paragraphs to update (fails, resolved instead of rejected, without
		// freezeProblem in DraftTranslations.freezing); the steward may freeze anyway, which is recorded.
		await expect(drafts().setStatus(author.auth, id, 'frozen')).rejects.toMatchObject({ code: 'invalid_input', fields: { translations: 'outdated' } });
		expect((await drafts().get(author.auth, id)).status).toBe('drafting');
		await drafts().setStatus(author.auth, id, 'frozen', { outdatedConfirmed: true });
		const version = (await findVersion(app.ctx.db, id, 1))!;
		const translated = await translationVersionsOf(app.ctx.db, id, 1);
		expect(translated).toMatchObject([{ lang: 'el', outdated: 2 }]);
		expect(translated[0].hash).toMatch(/^[0-9a-f]{64}$/);
		expect(translated[0].hash).not.toBe(version.hash);
		expect(translated[0].content).toContain('Το δίκτυο συναντιέται κάθε μήνα.');
		const audit = await app.ctx.db.selectFrom('audit_log').select(['data']).where('action', '=', 'draft.frozen_outdated').where('subject_id', '=', String(id)).executeTakeFirst();
		expect(JSON.parse(String(audit?.data))).toEqual({ version: 1, outdated: { el: 2 } });
		// Frozen, the translation takes no more edits: its editors come back as readers.
		const late = new Y.Doc();
		const latep = provider(app.url, late, `draft-lang:${id}-el`, await signIn(app.url, 'member2@demo.test'));
		await synced(latep);
		await expect(drafts().confirmTranslation(greek.auth, id, 'el', p1)).rejects.toMatchObject({ code: 'forbidden' });
		latep.destroy();

		// Each language exports on its own, as it is now and as the version took it.
		const exported = await drafts().export(author.auth, id, 'md', 1, 'sq', '127.0.0.1', 'el');
		expect(exported.filename).toMatch(/-v1-el\.md$/);
		expect(String(exported.body)).toContain('Το δίκτυο συναντιέται κάθε μήνα.');
		expect(String((await drafts().export(author.auth, id, 'md', null, 'sq', '127.0.0.1', 'el')).body)).toContain('Ο πολιτισμός είναι κοινός.');
		await expect(drafts().export(author.auth, id, 'md', null, 'sq', '127.0.0.1', 'en')).rejects.toMatchObject({ code: 'not_found' });

		// A vote on the version shows it in every language, naming the source; the decision keeps each language's hash.
		const coordinator = await signInAs(app, 'coordinator@demo.test');
		const { votes } = app.ctx.services;
		const voteId = await votes.create(coordinator.auth, voteInput({ title: 'Miratimi në dy gjuhë' }), { draftId: id, versionNumber: 1 }, true);
		const shown = await votes.get(greek.auth, voteId);
		expect(shown.versionLanguages).toMatchObject({ source: 'sq', translations: [{ lang: 'el', hash: translated[0].hash, outdated: 2 }] });
		expect(shown.versionLanguages!.translations[0].html).toContain('Το δίκτυο συναντιέται κάθε μήνα.');
		await votes.close(coordinator.auth, voteId);
		const decision = (await votes.decisions(author.auth)).decisions.find((d) => d.voteId === voteId);
		expect(decision?.draft).toMatchObject({ hash: version.hash, translations: [{ lang: 'el', hash: translated[0].hash }] });
	});
});
