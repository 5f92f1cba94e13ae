import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startApp, type RunningApp } from '../../server/app.js';
import { docNameOf } from '../../server/services/drafts.service.js';
import { blocksOfDoc, translationDocName } from '../../src/lib/shared/translations.js';
import type { Locale } from '../../src/lib/shared/types.js';
import { getPage, startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, personByEmail, voteInput, type Person } from './helpers/votes.js';
import { writeParagraphs } from './helpers/yjs.js';

// Issue #19, point 6: comments and amendments know the language of the text they are anchored in, and an amendment
// adopted on the source marks the same paragraph of every translation as to update, until a translator confirms it.

let app: TestApp;
let running: RunningApp;
let author: Person;
let outsider: Person;
let coordinator: Person;

beforeAll(async () => {
	app = await startTestApp();
	running = app;
	author = await personByEmail(app, 'ilir.gjoni@demo.test'); // in the Korçë cluster
	outsider = await personByEmail(app, 'member1@demo.test'); // not in it: reads its public drafts, may comment
	coordinator = await personByEmail(app, 'coordinator@demo.test');
});
afterAll(async () => {
	// After the restart the server running is another than the one dispose() stops (stopping twice is harmless).
	if (running !== app) await running.stop();
	await app?.dispose();
});

const drafts = () => running.ctx.services.drafts;
const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');

/** The server's copy of a document, as a Y.Doc. */
async function stored(name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await running.ctx.services.documents.state(name));
	return doc;
}

const textOf = (doc: Y.Doc, i: number) => (doc.getXmlFragment('default').get(i) as Y.XmlElement).get(0) as Y.XmlText;

/** Anchors for characters [from, to) of paragraph `i` of a document as the server holds it (as the editor makes them). */
async function anchors(name: string, i: number, from: number, to: number) {
	const text = textOf(await stored(name), i);
	return { anchorStart: b64(Y.createRelativePositionFromTypeIndex(text, from)), anchorEnd: b64(Y.createRelativePositionFromTypeIndex(text, to, -1)) };
}

/** Replaces the text of every paragraph of a translation (a translator's work). */
async function translate(draftId: number, lang: Locale, texts: string[]) {
	await running.ctx.services.documents.change(translationDocName(draftId, lang), (doc) => {
		texts.forEach((t, i) => {
			const text = textOf(doc, i);
			text.delete(0, text.length);
			text.insert(0, t);
		});
	});
}

/** A form action answered as the page's enhanced form asks for it (JSON). */
async function action(path: string, cookie: string | null, fields: Record<string, string>): Promise<{ status: number; type: string; data?: string }> {
	const res = await fetch(running.url + path, {
		method: 'POST',
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: running.url, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
		body: new URLSearchParams(fields)
	});
	return { status: res.status, ...((await res.json()) as { type: string; data?: string }) };
}

async function translatedDraft(visibility: 'public' | 'members', source: string[], greek: string[]): Promise<number> {
	const group = await running.ctx.db
		.selectFrom('groups as g')
		.innerJoin('group_members as gm', 'gm.group_id', 'g.id')
		.select('g.slug')
		.where('gm.user_id', '=', author.id)
		.executeTakeFirstOrThrow();
	const id = await drafts().create(author.auth, { title: 'Thirrja e përbashkët', summary: '', group: group.slug, field: '', visibility });
	await running.ctx.services.documents.change(docNameOf(id), (doc) => writeParagraphs(doc, source));
	await drafts().addTranslation(author.auth, id, 'el');
	await translate(id, 'el', greek);
	return id;
}

describe('comments know their language', () => {
	it('takes comments on a translation from its editors and its readers, in that text, and names each one’s language', async () => {
		const id = await translatedDraft('public', ['Rrjeti takohet çdo muaj në Korçë.'], ['Το δίκτυο συναντιέται κάθε μήνα στην Κορυτσά.']);
		const greekDoc = translationDocName(id, 'el');
		// An editor (in the group) comments on Greek words, anchored in the Greek document: the quote is those words.
		const onGreek = await anchors(greekDoc, 0, 10, 21); // "συναντιέται"
		const editorComment = await drafts().comment(author.auth, id, { body: 'Καλύτερα «συνεδριάζει».', ...onGreek, lang: 'el' });
		// A reader of the public draft (not in its group, may not edit it) comments through the side-by-side page.
		const answer = await action(`/drafts/${id}/languages/el?/comment`, outsider.cookie, { body: 'Μήπως «κάθε δύο μήνες»;', lang: 'el', ...(await anchors(greekDoc, 0, 22, 31)) });
		expect(answer).toMatchObject({ status: 200, type: 'success' });
		// The source keeps its own comments; naming its language is naming the source (stored as the source: null).
		const onSource = await drafts().comment(outsider.auth, id, { body: 'Çdo muaj?', ...(await anchors(docNameOf(id), 0, 15, 23)), lang: 'sq' });
		await drafts().comment(author.auth, id, { body: 'Po, e ndryshoj.', parentId: editorComment, lang: 'sq' });

		const list = await drafts().comments(null, id);
		expect(list.map((c) => [c.lang, c.quote, c.parentId])).toEqual([
			['el', 'συναντιέται', null],
			['el', 'κάθε μήνα', null],
			['sq', 'çdo muaj', null],
			// A reply is in its thread's language, whatever the form said.
			['el', '', editorComment]
		]);
		// Each page lists them all: those on a text it shows are marked there, the others say which text they are on
		// (and lead to it), in the reader's language.
		const shown = async (path: string) => (await (await getPage(running.url, path, outsider.cookie)).text()).replace(/<!--[^>]*-->/g, '');
		const greekPage = await shown(`/drafts/${id}/languages/el`);
		expect(greekPage.match(/<li [^>]*data-lang="(el|sq)"/g)?.map((li) => li.slice(-3, -1))).toEqual(['el', 'el', 'sq']);
		expect(greekPage.match(/class="lang small[^>]*>[^<]*/g)?.map((p) => p.split('>')[1])).toEqual(['Për tekstin në shqip']);
		const sourcePage = await shown(`/drafts/${id}`);
		expect(sourcePage.match(/class="lang small[^>]*>[^<]*/g)?.map((p) => p.split('>')[1])).toEqual(['Për tekstin në greqisht', 'Për tekstin në greqisht']);
		expect(sourcePage.match(/<a class="quote-link[^>]*href="[^"]*"/g)?.map((a) => a.split('href=')[1])).toEqual([`"/drafts/${id}/languages/el"`, `"/drafts/${id}/languages/el"`]);

		const rows = await running.ctx.db.selectFrom('draft_comments').select(['id', 'lang']).where('draft_id', '=', id).orderBy('id').execute();
		expect(rows.map((r) => r.lang)).toEqual(['el', 'el', null, 'el']);
		expect(rows[2].id).toBe(onSource);

		// Anchors in the Greek text stay on their words while the translator rewrites around them.
		await running.ctx.services.documents.change(greekDoc, (doc) => textOf(doc, 0).insert(0, 'Από φέτος '));
		await drafts().comment(author.auth, id, { body: 'Και πάλι εδώ.', ...onGreek, lang: 'el' });
		expect((await drafts().comments(author.auth, id)).at(-1)).toMatchObject({ lang: 'el', quote: 'συναντιέται' });
	});

	it('refuses a translation the draft does not have, and everyone who may not read or comment on the draft', async () => {
		const id = await translatedDraft('members', ['Anëtarësia paguhet një herë në vit.'], ['Η συνδρομή πληρώνεται μία φορά τον χρόνο.']);
		const onGreek = await anchors(translationDocName(id, 'el'), 0, 2, 10);
		const comment = (who: Person | null, lang: string) => drafts().comment(who?.auth ?? null, id, { body: 'Σχόλιο', ...onGreek, lang });
		// Without the check in DraftTranslations.text, these were stored as comments on texts that do not exist.
		await expect(comment(author, 'en')).rejects.toMatchObject({ code: 'not_found' });
		await expect(comment(author, 'xx')).rejects.toMatchObject({ code: 'not_found' });
		// A visitor may not read a members' draft, in any language: not through the service, not through the page.
		await expect(comment(null, 'el')).rejects.toMatchObject({ code: 'unauthenticated' });
		await expect(drafts().comments(null, id)).rejects.toMatchObject({ code: 'unauthenticated' });
		const refused = await action(`/drafts/${id}/languages/el?/comment`, null, { body: 'Σχόλιο', lang: 'el', ...onGreek });
		expect(refused).toMatchObject({ status: 401, type: 'failure' });
		// A visitor reads a public draft's translation but may not comment on it: the service refuses, not the page.
		const open = await translatedDraft('public', ['Festivali hapet në qershor.'], ['Το φεστιβάλ ανοίγει τον Ιούνιο.']);
		await expect(drafts().comment(null, open, { body: 'Σχόλιο', ...(await anchors(translationDocName(open, 'el'), 0, 3, 11)), lang: 'el' })).rejects.toMatchObject({ code: 'forbidden' });
		expect(await drafts().comments(author.auth, id)).toEqual([]);
	});
});

describe('amendments know their language, and an adopted one marks every translation', () => {
	it('refuses amendments on a translation, and an adopted amendment makes its paragraph outdated in each language until confirmed, across a restart', async () => {
		const id = await translatedDraft('members', ['Juria ka pesë anëtarë.', 'Çmimi jepet në dhjetor.'], ['Η κριτική επιτροπή έχει πέντε μέλη.', 'Το βραβείο απονέμεται τον Δεκέμβριο.']);
		await drafts().addTranslation(author.auth, id, 'en');
		await translate(id, 'en', ['The jury has five members.', 'The prize is awarded in December.']);
		const [p1, p2] = blocksOfDoc(await stored(docNameOf(id))).map((b) => b.id!);
		for (const lang of ['el', 'en']) for (const block of [p1, p2]) await drafts().confirmTranslation(author.auth, id, lang, block);
		const toUpdate = async () => Object.fromEntries((await drafts().languages(author.auth, id)).translations.map((t) => [t.lang, t.toUpdate]));
		expect(await toUpdate()).toEqual({ el: 0, en: 0 });
		await drafts().setStatus(author.auth, id, 'review');

		// The source is the authoritative text: a passage of a translation is not amended (its translators follow).
		// Without the refusal in DraftAmendments.propose this was refused only as no passage of the source, not why.
		const greekPassage = await anchors(translationDocName(id, 'el'), 0, 24, 29); // "πέντε"
		await expect(drafts().propose(author.auth, id, { ...greekPassage, replacement: 'επτά', reason: 'Περισσότερες φωνές', lang: 'el' })).rejects.toMatchObject({
			code: 'invalid_input',
			fields: { passage: 'source_only' }
		});
		const amendmentId = await drafts().propose(author.auth, id, { ...(await anchors(docNameOf(id), 0, 9, 13)), replacement: 'shtatë', reason: 'Më shumë zëra', lang: 'sq' });
		expect(await drafts().amendments(author.auth, id)).toMatchObject([{ id: amendmentId, lang: 'sq', original: 'pesë' }]);

		// Voted and adopted: the server changes the source; the first paragraph is to update in Greek and in English.
		const [voter] = await makePeople(app, 1);
		const voteId = await running.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Juria' }), { amendmentId }, true);
		await running.ctx.services.votes.cast(voter.auth, voteId, { ballot: { method: 'yes_no', choice: 'yes' } });
		await running.ctx.services.votes.close(coordinator.auth, voteId);
		await expect.poll(async () => blocksOfDoc(await stored(docNameOf(id))).map((b) => b.text)).toEqual(['Juria ka shtatë anëtarë.', 'Çmimi jepet në dhjetor.']);
		expect(await toUpdate()).toEqual({ el: 1, en: 1 });
		const rows = await drafts().translationRows(author.auth, id, 'el');
		expect(rows.map((r) => [r.state, r.confirmed])).toEqual([
			['outdated', 'Juria ka pesë anëtarë.'],
			['current', 'Çmimi jepet në dhjetor.']
		]);

		// ...still after a restart (the confirmations are in the database, the adopted text in the document's log).
		await running.stop();
		running = await startApp(app.config);
		expect(await toUpdate()).toEqual({ el: 1, en: 1 });

		// A translator confirms the Greek paragraph: Greek is up to date, English still has it to update.
		await translate(id, 'el', ['Η κριτική επιτροπή έχει επτά μέλη.']);
		await drafts().confirmTranslation(author.auth, id, 'el', p1);
		expect(await toUpdate()).toEqual({ el: 0, en: 1 });
	});
});
