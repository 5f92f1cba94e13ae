import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, personByEmail, voteInput, type Person } from './helpers/votes.js';
import { anchorsIn, draftWith } from './helpers/amendments.js';
import { m } from '../../src/lib/paraglide/messages.js';

// Issue #18: a vote's outcome that adopts or rejects a draft, or adopts or rejects an amendment, is in the audit
// trail, naming the draft, the amendment and the vote, never a ballot; the coordinators' page says it in words.

let app: TestApp;
let author: Person;
let steward: Person;
let voters: Person[];

beforeAll(async () => {
	app = await startTestApp({ DOC_IDLE_SECONDS: '0' });
	author = await personByEmail(app, 'member1@demo.test');
	steward = await personByEmail(app, 'coordinator@demo.test');
	voters = await makePeople(app, 3);
});
afterAll(async () => app?.dispose());

const entriesOf = async (draftId: number) =>
	(await app.ctx.db.selectFrom('audit_log').select(['actor_id', 'action', 'subject_type', 'data']).where('subject_type', '=', 'draft').where('subject_id', '=', String(draftId)).orderBy('id').execute())
		.filter((r) => r.action !== 'draft.frozen_outdated')
		.map((r) => ({ ...r, data: JSON.parse(r.data) as unknown }));
/** The coordinator reads the trail in their own language. */
const reading = async () => ({ locale: (await app.ctx.db.selectFrom('users').select('locale').where('id', '=', steward.id).executeTakeFirstOrThrow()).locale as 'sq' | 'en' | 'el' });
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('adoption and rejection in the audit trail', () => {
	it('records a draft adopted by one vote of two closing at once, once, naming the vote and no ballot', async () => {
		const { drafts, votes } = app.ctx.services;
		const id = await draftWith(app, author, ['Neni 1. Rrjeti takohet çdo muaj.'], 'Rregullorja e takimeve');
		await drafts.setStatus(author.auth, id, 'frozen');
		// Secret ballots: their receipts must appear nowhere in the trail.
		const yes = await votes.create(steward.auth, voteInput({ title: 'Miratimi i takimeve', secret: true }), { draftId: id, versionNumber: 1 }, true);
		const no = await votes.create(steward.auth, voteInput({ title: 'Miratimi, sërish', secret: true }), { draftId: id, versionNumber: 1 }, true);
		const receipts = [
			(await votes.cast(voters[0].auth, yes, { ballot: { method: 'yes_no', choice: 'yes' } })).receipt,
			(await votes.cast(voters[0].auth, no, { ballot: { method: 'yes_no', choice: 'no' } })).receipt
		];
		// Two closes at once: one moves the draft, and only that one is in the trail. Without the guard that decides the
		// draft once (draft.repository.ts decideDraft's `status = 'frozen'`) this test was run and failed: two entries.
		await Promise.all([votes.close(steward.auth, yes), votes.close(steward.auth, no)]);
		await expect.poll(async () => (await drafts.get(author.auth, id)).status).not.toBe('frozen');
		await new Promise((r) => setTimeout(r, 50));
		const draft = await drafts.get(author.auth, id);
		const entries = await entriesOf(id);
		expect(entries).toEqual([{ actor_id: null, action: `draft.${draft.status}`, subject_type: 'draft', data: { voteId: draft.decidedBy!.voteId } }]);
		const stored = JSON.stringify(await app.ctx.db.selectFrom('audit_log').selectAll().execute());
		for (const receipt of receipts) expect(stored).not.toContain(receipt);

		// The coordinators' page says it in words: the vote's outcome did it, to this draft, by this vote.
		const page = await (await getPage(app.url, '/coordination/audit', steward.cookie)).text();
		const locale = await reading();
		const line = page.slice(page.indexOf(`data-action="draft.${draft.status}"`));
		expect(line).toContain(html((draft.status === 'adopted' ? m.audit_draft_adopted : m.audit_draft_rejected)({}, locale)));
		expect(line).toContain(html(m.audit_by_vote_outcome({}, locale)));
		expect(line).toContain(`href="/drafts/${id}"`);
		expect(line).toContain(`href="/votes/${draft.decidedBy!.voteId}">${html(draft.decidedBy!.title)}</a>`);
	});

	it('records a draft rejected by a failed vote, and amendments adopted and rejected with their vote', async () => {
		const { drafts, votes } = app.ctx.services;
		const rejected = await draftWith(app, author, ['Neni 3. Kuotat rriten çdo vit.'], 'Kuotat');
		await drafts.setStatus(author.auth, rejected, 'frozen');
		const against = await votes.create(steward.auth, voteInput({ title: 'Kuotat në votim' }), { draftId: rejected, versionNumber: 1 }, true);
		for (const v of voters) await votes.cast(v.auth, against, { ballot: { method: 'yes_no', choice: 'no' } });
		expect(await votes.close(steward.auth, against)).toMatchObject({ outcome: 'failed' });
		await expect.poll(() => entriesOf(rejected)).toEqual([{ actor_id: null, action: 'draft.rejected', subject_type: 'draft', data: { voteId: against } }]);

		const id = await draftWith(app, author, ['Festivali zgjat tri ditë.', 'Hyrja është falas.']);
		await drafts.setStatus(author.auth, id, 'review');
		const propose = async (i: number, from: number, to: number, replacement: string) =>
			drafts.propose(author.auth, id, { ...(await anchorsIn(app, id, i, from, to)), replacement, reason: 'Sipas buxhetit' });
		const longer = await propose(0, 16, 19, 'katër'); // "tri" → "katër"
		const paid = await propose(1, 12, 17, 'me pagesë'); // "falas" → "me pagesë"
		const onLonger = await votes.create(steward.auth, voteInput({ title: 'Katër ditë', secret: true }), { amendmentId: longer }, true);
		const onPaid = await votes.create(steward.auth, voteInput({ title: 'Hyrja me pagesë' }), { amendmentId: paid }, true);
		for (const v of voters) {
			await votes.cast(v.auth, onLonger, { ballot: { method: 'yes_no', choice: 'yes' } });
			await votes.cast(v.auth, onPaid, { ballot: { method: 'yes_no', choice: 'no' } });
		}
		await votes.close(steward.auth, onLonger);
		await votes.close(steward.auth, onPaid);
		await expect.poll(() => entriesOf(id)).toEqual([
			{ actor_id: null, action: 'amendment.adopted', subject_type: 'draft', data: { voteId: onLonger, amendmentId: longer } },
			{ actor_id: null, action: 'amendment.rejected', subject_type: 'draft', data: { voteId: onPaid, amendmentId: paid } }
		]);

		const page = await (await getPage(app.url, '/coordination/audit', steward.cookie)).text();
		const locale = await reading();
		expect(page).toContain(html(m.audit_amendment_adopted({ id: String(longer) }, locale)));
		expect(page).toContain(html(m.audit_amendment_rejected({ id: String(paid) }, locale)));
		expect(page).toContain(`href="/votes/${onPaid}"`);
	});
});
