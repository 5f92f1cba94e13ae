import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { docNameOf } from '../../server/services/drafts.service.js';
import { passageOf } from '../../server/services/yjs-passages.js';
import { listSuggestions, resolveSuggestions, SUGGESTION, type SuggestionAttrs } from '../../src/lib/shared/suggestions.js';
import { postForm, startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, personByEmail, voteInput, type Person } from './helpers/votes.js';
import { openDocument, writeParagraphs } from './helpers/yjs.js';

// Issue #19 point 5: suggestions (track changes) in a co-edited draft, with real y-websocket clients.

let app: TestApp;
let base: string;
/** member2 of the demo facilitates the Arta cluster: a steward (and editor) of the cluster's drafts. */
let steward: Person;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	steward = await personByEmail(app, 'member2@demo.test');
});
afterAll(async () => {
	for (const p of providers) p.destroy();
	await app?.dispose();
});

const openDoc = (name: string, cookie: string) => openDocument(base, name, cookie, providers);

/** A draft of the Arta cluster with one paragraph, open in its steward's editor. */
async function artaDraft(text: string) {
	const id = await app.ctx.services.drafts.create(steward.auth, { title: 'Plani i Artës', summary: '', group: 'klasteri-arta', field: '', visibility: 'members' });
	const name = docNameOf(id);
	const own = await openDoc(name, steward.cookie);
	writeParagraphs(own.doc, [text]);
	await expect.poll(() => storedText(name)).toBe(text);
	return { id, name, own };
}

/** Someone from outside the cluster (they may comment on its drafts, not edit them), with the draft's text open. */
async function outsider(name: string, text: string) {
	const [p] = await makePeople(app, 1);
	const guest = { ...p, name: p.auth.viewer.displayName };
	const theirs = await openDoc(name, guest.cookie);
	await expect.poll(() => plain(theirs.doc)).toBe(text);
	return { guest, theirs };
}

const block = (doc: Y.Doc) => (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
const plain = (doc: Y.Doc) => (doc.getXmlFragment('default').get(0) as Y.XmlElement | undefined)?.toArray().map((t) => (t as Y.XmlText).toDelta().map((op: { insert: string }) => op.insert).join('')).join('') ?? '';
const suggestionOf = (who: Person & { name: string }, id: string, kind: SuggestionAttrs['kind']) => ({ [SUGGESTION]: { id, kind, author: who.id, name: who.name } });
async function storedDoc(name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await app.ctx.services.documents.state(name));
	return doc;
}
const storedText = async (name: string) => plain(await storedDoc(name));
const closeOf = (p: WebsocketProvider) =>
	new Promise<{ code: number; reason: string }>((r) => p.ws?.addEventListener('close', (e) => r({ code: (e as CloseEvent).code, reason: (e as CloseEvent).reason })));

describe('suggesting', () => {
	// Shown to fail without the guard: with the `conn.access === 'suggest' && !this.#suggestions.check(...)` test removed from
	// DocRoom #take (shared-doc.ts), the plain text is taken (the close never comes and the stored text holds
	// "NDËRHYRJE"); run, seen failing, restored.
	it("a commenter's connection takes their suggestions and refuses plain text", async () => {
		const { id, name, own } = await artaDraft('Festivali hapet në qershor.');
		const { guest, theirs } = await outsider(name, 'Festivali hapet në qershor.');
		expect(await app.ctx.services.drafts.documentAccess(guest.auth, id)).toBe('suggest');
		expect((await app.ctx.services.drafts.get(guest.auth, id)).can).toMatchObject({ edit: false, suggest: true, review: false });

		block(theirs.doc).insert(16, 'fillim ', suggestionOf(guest, 's1', 'insert'));
		block(theirs.doc).format(0, 9, suggestionOf(guest, 's2', 'delete'));
		await expect.poll(() => listSuggestions(own.doc.getXmlFragment('default')).map((s) => [s.id, s.kind, s.text])).toEqual([
			['s2', 'delete', 'Festivali'],
			['s1', 'insert', 'fillim ']
		]);

		const closed = closeOf(theirs.p);
		block(theirs.doc).insert(0, 'NDËRHYRJE ');
		expect(await closed).toEqual({ code: 4422, reason: 'suggestions_only' });
		theirs.p.destroy();
		expect(await storedText(name)).toBe('Festivali hapet fillim në qershor.');
		expect(plain(own.doc)).not.toContain('NDËRHYRJE');
	});

	// A decision is a deletion or a formatting of the suggested runs only, never a rewrite of their block: with
	// resolveSuggestions made to rewrite the block's text after deciding, this fails (run, seen failing, restored).
	it('accepting and rejecting race with typing: no typed word is lost, and every copy ends the same', async () => {
		const { name, own } = await artaDraft('Alfa beta gama delta.');
		const { guest, theirs } = await outsider(name, 'Alfa beta gama delta.');
		const [typistPerson] = await makePeople(app, 1);
		expect((await postForm(base, '/groups/klasteri-arta?/join', {}, typistPerson.cookie)).status).toBe(200);
		const typist = await openDoc(name, typistPerson.cookie);

		block(theirs.doc).insert(5, 'X1 ', suggestionOf(guest, 'a1', 'insert'));
		block(theirs.doc).format(13, 5, suggestionOf(guest, 'd1', 'delete'));
		block(theirs.doc).insert(18, 'X2 ', suggestionOf(guest, 'r1', 'insert'));
		block(theirs.doc).insert(block(theirs.doc).length, ' X3', suggestionOf(guest, 'r2', 'insert'));
		await expect.poll(() => listSuggestions(typist.doc.getXmlFragment('default')).length).toBe(4);
		await expect.poll(() => listSuggestions(own.doc.getXmlFragment('default')).length).toBe(4);

		// All at once: the typist types 24 words all over the paragraph (inside suggestions and at their edges)
		// while the steward decides; neither has the other's changes when making their own.
		const typed = Array.from({ length: 24 }, (_, i) => `t${i}.`);
		const decisions: [string, boolean][] = [
			['a1', true],
			['d1', true],
			['r1', false],
			['r2', false]
		];
		typed.forEach((word, i) => {
			const text = block(typist.doc);
			const at = (i * 5) % (text.length + 1);
			// Not inside a word typed before, so that each typed word stays whole.
			const inside = [...plain(typist.doc).matchAll(/t\d+\./g)].find((w) => at > w.index && at < w.index + w[0].length);
			text.insert(inside ? inside.index + inside[0].length : at, word, {});
			const decision = decisions[i % 6];
			if (decision) resolveSuggestions(own.doc, (s) => s.id === decision[0], decision[1]);
		});

		const everyone = [own.doc, theirs.doc, typist.doc];
		await expect.poll(async () => new Set([...everyone.map(plain), await storedText(name)]).size, { timeout: 10_000 }).toBe(1);
		const final = plain(own.doc);
		for (const word of typed) expect(final).toContain(word);
		expect(final.replace(/t\d+\./g, '')).toBe('Alfa X1 beta delta.');
		expect(listSuggestions((await storedDoc(name)).getXmlFragment('default')).map((s) => s.id)).toEqual(
			listSuggestions(typist.doc.getXmlFragment('default')).map((s) => s.id)
		);
	});

	it('suggestions stay on their words while others type around them', async () => {
		const { name, own } = await artaDraft('Kinemaja verore në Artë.');
		const { guest, theirs } = await outsider(name, 'Kinemaja verore në Artë.');
		block(theirs.doc).insert(16, 'e hapur ', suggestionOf(guest, 'k1', 'insert'));
		await expect.poll(() => listSuggestions(own.doc.getXmlFragment('default')).length).toBe(1);
		block(own.doc).insert(0, 'Sivjet: ', {});
		block(own.doc).insert(block(own.doc).length, ' Hyrja e lirë.', {});
		await expect.poll(() => storedText(name)).toBe('Sivjet: Kinemaja verore e hapur në Artë. Hyrja e lirë.');
		expect(listSuggestions((await storedDoc(name)).getXmlFragment('default'))).toEqual([{ id: 'k1', kind: 'insert', author: guest.id, name: guest.name, text: 'e hapur ' }]);
	});
});

describe('an editor and the suggestions of others', () => {
	const named = (p: Person) => ({ ...p, name: p.auth.viewer.displayName });

	// Shown to fail without the guard: with the `conn.access === 'write' && !this.#suggestions.checkEdit(...)` test
	// removed from DocRoom #take (shared-doc.ts), no close comes and the marks reach everyone's text; run, seen
	// failing, restored.
	it('may put no suggestion in another member’s name, nor change who made one: refused, and nobody receives it', async () => {
		const { name, own } = await artaDraft('Tregu hapet të shtunën.');
		const { guest, theirs } = await outsider(name, 'Tregu hapet të shtunën.');
		block(theirs.doc).insert(12, 'çdo ', suggestionOf(guest, 'g1', 'insert'));
		await expect.poll(() => listSuggestions(own.doc.getXmlFragment('default')).length).toBe(1);

		const forgeries: [string, (text: Y.XmlText) => void][] = [
			['a new suggestion in the guest’s name', (text) => text.insert(0, 'Nuk ', suggestionOf(guest, 'f1', 'insert'))],
			['the guest’s suggestion made the steward’s', (text) => text.format(12, 4, suggestionOf(named(steward), 'g1', 'insert'))],
			['the guest’s insertion made a deletion', (text) => text.format(12, 4, suggestionOf(guest, 'g1', 'delete'))],
			['a mark under a name the browser reads as a suggestion', (text) => text.insert(0, 'Nuk ', { [`${SUGGESTION}--abcdefgh`]: suggestionOf(guest, 'f2', 'insert')[SUGGESTION] })]
		];
		for (const [what, forge] of forgeries) {
			const forger = await openDoc(name, steward.cookie);
			const closed = closeOf(forger.p);
			forge(block(forger.doc));
			expect(await closed, what).toEqual({ code: 4422, reason: 'suggestion_not_yours' });
			forger.p.destroy();
		}
		// Something written after the forgeries reaches everyone: the forgeries would have come before it.
		block(own.doc).insert(block(own.doc).length, ' Hyrja falas.', {});
		await expect.poll(() => plain(theirs.doc)).toBe('Tregu hapet çdo të shtunën. Hyrja falas.');
		const stored = await storedDoc(name);
		for (const doc of [own.doc, theirs.doc, stored]) {
			expect(listSuggestions(doc.getXmlFragment('default'))).toEqual([{ id: 'g1', kind: 'insert', author: guest.id, name: guest.name, text: 'çdo ' }]);
			expect(JSON.stringify(block(doc).toDelta())).not.toContain('abcdefgh');
		}
	});

	// Typing inside the guest's insertion writes its mark again around the typed words: with the suggesters' marks
	// not held once let through (the last lines of SuggestionGuard.check), it was refused (run, seen failing, restored).
	it('writes their own suggestions, types into others’, and decides them', async () => {
		const { name, own } = await artaDraft('Tregu hapet të shtunën.');
		const { guest, theirs } = await outsider(name, 'Tregu hapet të shtunën.');
		block(theirs.doc).insert(12, 'çdo ', suggestionOf(guest, 'g1', 'insert'));
		block(theirs.doc).format(0, 5, suggestionOf(guest, 'g2', 'delete'));
		await expect.poll(() => listSuggestions(own.doc.getXmlFragment('default')).length).toBe(2);

		const closed = vi.fn();
		own.p.ws?.addEventListener('close', closed);
		block(own.doc).insert(block(own.doc).length - 1, ' në mëngjes', suggestionOf(named(steward), 'e1', 'insert'));
		block(own.doc).insert(15, ' ditë', {});
		resolveSuggestions(own.doc, (s) => s.id === 'g2', false);
		await expect.poll(() => listSuggestions(theirs.doc.getXmlFragment('default')).map((s) => [s.id, s.author, s.text])).toEqual([
			['g1', guest.id, 'çdo '],
			['e1', steward.id, ' në mëngjes']
		]);
		resolveSuggestions(own.doc, (s) => s.id === 'g1', true);
		await expect.poll(async () => listSuggestions((await storedDoc(name)).getXmlFragment('default')).map((s) => s.id)).toEqual(['e1']);
		expect(await storedText(name)).toBe('Tregu hapet çdo ditë të shtunën në mëngjes.');
		expect(closed).not.toHaveBeenCalled();
	});
});

describe('a suggestion becomes an amendment during review', () => {
	it('leaves the text as one change, records the passage as it was and as suggested, and is applied when adopted', async () => {
		const { id, name } = await artaDraft('Bursat jepen çdo vit.');
		const { guest, theirs } = await outsider(name, 'Bursat jepen çdo vit.');
		block(theirs.doc).insert(13, 'dy herë në ', suggestionOf(guest, 'm1', 'insert'));
		await expect.poll(() => storedText(name)).toBe('Bursat jepen dy herë në çdo vit.');

		const input = { suggestionId: 'm1', reason: 'Dy thirrje në vit ndihmojnë artistët e rinj.' };
		await expect(app.ctx.services.drafts.suggestionToAmendment(steward.auth, id, input)).rejects.toMatchObject({ code: 'forbidden' });
		await app.ctx.services.drafts.setStatus(steward.auth, id, 'review');
		await expect(app.ctx.services.drafts.suggestionToAmendment(guest.auth, id, input)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(app.ctx.services.drafts.suggestionToAmendment(steward.auth, id, { ...input, reason: '' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(app.ctx.services.drafts.suggestionToAmendment(steward.auth, id, { ...input, suggestionId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });

		const amendmentId = await app.ctx.services.drafts.suggestionToAmendment(steward.auth, id, input);
		expect(await storedText(name)).toBe('Bursat jepen çdo vit.');
		const [amendment] = await app.ctx.services.drafts.amendments(steward.auth, id);
		expect(amendment).toMatchObject({ id: amendmentId, original: 'çdo', replacement: 'dy herë në çdo', reason: input.reason, status: 'proposed' });
		expect(amendment.author.id).toBe(guest.id);
		const version = await app.ctx.db.selectFrom('draft_versions').select('state').where('draft_id', '=', id).orderBy('number', 'desc').executeTakeFirstOrThrow();
		expect(passageOf(version.state, amendment.anchorStart, amendment.anchorEnd)).toBe('çdo');

		// Adopted as the close of a vote on it adopts it (AmendmentVotes.decide), named in the audit trail.
		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Bursat dy herë' }), { amendmentId }, true);
		await app.ctx.services.drafts.decideAmendment(amendmentId, true, voteId);
		expect(await storedText(name)).toBe('Bursat jepen dy herë në çdo vit.');
		expect(listSuggestions((await storedDoc(name)).getXmlFragment('default'))).toEqual([]);
	});

	// Without the check (#mayPropose) the amendment was filed under whoever the mark named, and a mark naming no
	// member lost the suggestion from the text before the amendment's insert failed.
	it('files an amendment only under a suggester who may still propose, and leaves the suggestion otherwise', async () => {
		const { id, name } = await artaDraft('Festivali zgjat tri ditë.');
		const { guest, theirs } = await outsider(name, 'Festivali zgjat tri ditë.');
		await app.ctx.services.drafts.setStatus(steward.auth, id, 'review');
		// One mark names a member since suspended; one names nobody at all, as an editor could write before editors'
		// marks were checked (written here on the server's behalf).
		block(theirs.doc).insert(16, 'katër e ', suggestionOf(guest, 's1', 'insert'));
		await expect.poll(async () => listSuggestions((await storedDoc(name)).getXmlFragment('default')).length).toBe(1);
		await app.ctx.services.documents.change(name, (doc) => block(doc).insert(0, 'Sivjet ', suggestionOf({ ...guest, id: 987654, name: 'Askush' }, 's2', 'insert')));
		await expect.poll(async () => listSuggestions((await storedDoc(name)).getXmlFragment('default')).length).toBe(2);
		await app.ctx.db.updateTable('users').set({ status: 'suspended' }).where('id', '=', guest.id).execute();
		for (const suggestionId of ['s1', 's2']) {
			await expect(app.ctx.services.drafts.suggestionToAmendment(steward.auth, id, { suggestionId, reason: 'Për asamblenë' })).rejects.toMatchObject({ fields: { suggestion: 'suggester_gone' } });
		}
		expect(listSuggestions((await storedDoc(name)).getXmlFragment('default')).map((x) => x.id).sort()).toEqual(['s1', 's2']);
		expect(await app.ctx.services.drafts.amendments(steward.auth, id)).toEqual([]);
	});
});


describe('freezing with suggestions waiting for review', () => {
	// Shown to fail without the change: before it, the freeze went through unasked and the version's words were
	// "Festivali hapet fillim në qershor." (the proposed insertion taken as text), its hash not the plain text's.
	it('asks the steward to confirm, records it, and takes the text without them (the state keeps them)', async () => {
		const text = 'Festivali hapet në qershor.';
		const { id, name } = await artaDraft(text);
		// The same words, never suggested on: the hash the frozen text must have.
		const { id: plainId } = await artaDraft(text);
		const who = { ...steward, name: steward.auth.viewer.displayName };
		await app.ctx.services.documents.change(name, (doc) => {
			block(doc).insert(16, 'fillim ', suggestionOf(who, 's1', 'insert'));
			block(doc).format(0, 9, suggestionOf(who, 's2', 'delete'));
		});

		await expect(app.ctx.services.drafts.setStatus(steward.auth, id, 'frozen')).rejects.toMatchObject({ code: 'invalid_input', fields: { suggestions: '2' } });
		expect((await app.ctx.services.drafts.get(steward.auth, id)).status).toBe('drafting');
		// The page's form says so in the member's words and keeps the way to confirm.
		const refused = await postForm(base, `/drafts/${id}?/status`, { to: 'frozen' }, steward.cookie);
		expect(refused.status).toBe(400);

		await app.ctx.services.drafts.setStatus(steward.auth, id, 'frozen', { suggestionsConfirmed: true });
		await app.ctx.services.drafts.setStatus(steward.auth, plainId, 'frozen');
		const version = (draftId: number) => app.ctx.db.selectFrom('draft_versions').select(['text', 'hash', 'state']).where('draft_id', '=', draftId).orderBy('number', 'desc').executeTakeFirstOrThrow();
		const [frozen, plain] = [await version(id), await version(plainId)];
		expect(frozen.text.trim()).toBe(text);
		expect(frozen.hash).toBe(plain.hash);
		// A restore brings the suggestions back: the stored state still holds them.
		const state = new Y.Doc();
		Y.applyUpdate(state, frozen.state as Uint8Array);
		expect(listSuggestions(state.getXmlFragment('default')).map((s) => s.id).sort()).toEqual(['s1', 's2']);
		const audit = await app.ctx.db.selectFrom('audit_log').select(['data']).where('action', '=', 'draft.frozen_with_suggestions').where('subject_id', '=', String(id)).executeTakeFirstOrThrow();
		expect(JSON.parse(String(audit.data))).toMatchObject({ suggestions: 2 });
	});
});
