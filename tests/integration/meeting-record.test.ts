import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { docNameOf } from '../../server/services/drafts.service.js';
import type { MeetingAction } from '../../src/lib/shared/meetings.js';
import { m } from '../../src/lib/paraglide/messages.js';
import { postForm, startTestApp, type TestApp } from './helpers/app.js';
import { meetingInput } from './helpers/meetings.js';
import { castBySocket, makePeople, memberSocket, personByEmail, voteInput, type Person } from './helpers/votes.js';

let app: TestApp;
let chair: Person;
let members: Person[];
const sockets: Socket[] = [];
const MIN = 60 * 1000;

beforeAll(async () => {
	app = await startTestApp();
	chair = await personByEmail(app, 'coordinator@demo.test');
	members = await makePeople(app, 4);
});
afterAll(async () => {
	for (const s of sockets) s.disconnect();
	await app?.dispose();
});

const socketOf = async (p: Person) => {
	const s = await memberSocket(app.url, p.cookie);
	sockets.push(s);
	return s;
};
const act = async (s: Socket, meetingId: number, action: MeetingAction) => {
	const res = await new Promise<{ ok: boolean; code?: string; message?: string }>((r) => s.emit('meeting:act', { meetingId, action }, r));
	if (!res.ok) throw new Error(`${action.type}: ${res.code} ${res.message}`);
};
const join = (s: Socket, meetingId: number) => new Promise((r) => s.emit('meeting:join', { meetingId }, r));
/** The minutes as text, one block a line. */
async function minutesText(draftId: number): Promise<string> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await app.ctx.services.documents.state(docNameOf(draftId)));
	return doc
		.getXmlFragment('default')
		.toArray()
		.map((el) => (el instanceof Y.XmlElement ? el.toArray().map((c) => (c instanceof Y.XmlText ? c.toString() : c instanceof Y.XmlElement ? c.toString().replace(/<[^>]+>/g, '') : '')).join(' | ') : ''))
		.join('\n');
}
const proposalsOf = (voteId: number) => app.ctx.db.selectFrom('agenda_proposals').selectAll().where('vote_id', '=', voteId).orderBy('id').execute();
const aThread = async () => (await app.ctx.db.selectFrom('threads').select('id').where('hidden', '=', 0).orderBy('id').executeTakeFirstOrThrow()).id;

describe('minutes as the record', () => {
	it('writes a scripted meeting into its minutes in words: times, attendance, speakers and durations, votes with rules and results, decisions', async () => {
		const { meetings } = app.ctx.services;
		const [a, b, c] = members;
		const id = await meetings.create(chair.auth, meetingInput({ title: 'Kuvendi i dimrit', agenda: ['Budget 2027', 'Any other business'] }), 'en');
		const view = await meetings.get(chair.auth, id);
		const [s0, sa, sb, sc] = await Promise.all([chair, a, b, c].map(socketOf));
		await Promise.all([s0, sa, sb, sc].map((s) => join(s, id)));
		await act(s0, id, { type: 'start' });
		for (const s of [sa, sb, sc]) await act(s, id, { type: 'check_in' });
		// a speaks twice, b once; their speeches are given known lengths (2 min 5 s in all for a, 40 s for b).
		for (const [s, person] of [[sa, a], [sb, b], [sa, a]] as const) {
			await act(s, id, { type: 'raise_hand' });
			await act(s0, id, { type: 'give_floor' });
			await act(s0, id, { type: 'end_speech' });
			void person;
		}
		const speeches = await app.ctx.db.selectFrom('meeting_speakers').select(['id', 'user_id']).where('meeting_id', '=', id).orderBy('id').execute();
		const lengths = [65_000, 40_000, 60_000];
		for (const [i, sp] of speeches.entries()) await app.ctx.db.updateTable('meeting_speakers').set({ started_at: 1_000_000 * (i + 1), ended_at: 1_000_000 * (i + 1) + lengths[i] }).where('id', '=', sp.id).execute();
		const voteId = await meetings.openVote(chair.auth, id, view.agenda[0].id, voteInput({ title: 'Adopt the budget', quorum: { kind: 'count', count: 2 } }));
		await castBySocket(sa, { voteId, ballot: { method: 'yes_no', choice: 'yes' } });
		await castBySocket(sb, { voteId, ballot: { method: 'yes_no', choice: 'yes' } });
		await castBySocket(sc, { voteId, ballot: { method: 'yes_no', choice: 'no' } });
		await act(s0, id, { type: 'conclude_item', itemId: view.agenda[0].id });
		await act(sc, id, { type: 'check_out' });
		await act(s0, id, { type: 'conclude_item', itemId: view.agenda[1].id });
		await act(s0, id, { type: 'end' });

		const text = await minutesText(view.minutesDraftId!);
		const name = async (p: Person) => (await app.ctx.db.selectFrom('users').select('display_name').where('id', '=', p.id).executeTakeFirstOrThrow()).display_name;
		const [na, nb, nc] = await Promise.all([a, b, c].map(name));
		expect(text).toMatch(/The meeting was opened at \d\d:\d\d\./);
		expect(text).toMatch(/1\. Budget 2027 \(\d\d:\d\d–\d\d:\d\d\)/);
		expect(text).toContain(`Spoke: ${na} (2 min 05 s), ${nb} (40 s).`);
		expect(text).toContain(
			'Vote “Adopt the budget” (Yes / no / abstain, open ballot. Simple majority: more yes than no. Quorum: at least 2 voters.) — Passed: 2 yes against 1 no: more than half of the votes cast (abstentions aside). Quorum 2 of 3: reached (3 took part).'
		);
		expect(text).toMatch(/2\. Any other business \(\d\d:\d\d–\d\d:\d\d\)\nNobody took the floor\.\nNo vote on this item\./);
		expect(text).toMatch(/The meeting was closed at \d\d:\d\d\./);
		// Members only: each name with the times they were there (c left before the end).
		expect(text).toContain('3 people checked in:');
		expect(text).toMatch(new RegExp(`${nc} \\(\\d\\d:\\d\\d–\\d\\d:\\d\\d\\)`));
		expect(text).toMatch(new RegExp(`${na} \\(\\d\\d:\\d\\d–\\d\\d:\\d\\d\\)`));
		expect(text).toContain('Decisions\n“Adopt the budget”: Passed.');
		// Never the raw counts.
		expect(text).not.toMatch(/yes: \d|no: \d/i);
	});

	it('puts the minutes to approval in one action: a version with its hash, a yes/no vote of those present; passed, the minutes are adopted and in the register', async () => {
		const { meetings, votes } = app.ctx.services;
		const [a, b] = members;
		const id = await meetings.create(chair.auth, meetingInput({ title: 'Mbledhja me procesverbal', agenda: ['Një'] }), 'sq');
		const [s0, sa, sb] = await Promise.all([chair, a, b].map(socketOf));
		await Promise.all([s0, sa, sb].map((s) => join(s, id)));
		await act(s0, id, { type: 'start' });
		for (const s of [sa, sb]) await act(s, id, { type: 'check_in' });
		await expect(meetings.putMinutes(a.auth, id, 'now')).rejects.toMatchObject({ code: 'forbidden' });
		const voteId = await meetings.putMinutes(chair.auth, id, 'now');
		await expect(meetings.putMinutes(chair.auth, id, 'now')).rejects.toMatchObject({ code: 'conflict', fields: { when: 'minutes_already_put' } });
		const view = await meetings.get(chair.auth, id);
		expect(view.minutesVoteId).toBe(voteId);
		expect(view.agenda.at(-1)).toMatchObject({ title: 'Miratimi i procesverbalit të „Mbledhja me procesverbal”', draft: { id: view.minutesDraftId } });
		const vote = await votes.get(a.auth, voteId);
		expect(vote).toMatchObject({ status: 'open', eligible: 2, method: 'yes_no' });
		const version = await app.ctx.db.selectFrom('draft_versions').select(['id', 'hash', 'number']).where('draft_id', '=', view.minutesDraftId!).orderBy('number', 'desc').executeTakeFirstOrThrow();
		expect(vote.title).toBe(`Miratimi i procesverbalit: Mbledhja me procesverbal (versioni ${version.number}, ${version.hash.slice(0, 12)})`);
		expect((await app.ctx.services.drafts.get(chair.auth, view.minutesDraftId!)).status).toBe('frozen');
		await castBySocket(sa, { voteId, ballot: { method: 'yes_no', choice: 'yes' } });
		await castBySocket(sb, { voteId, ballot: { method: 'yes_no', choice: 'yes' } });
		await act(s0, id, { type: 'close_vote', voteId });
		await expect.poll(async () => (await app.ctx.services.drafts.get(chair.auth, view.minutesDraftId!)).status).toBe('adopted');
		// The text voted on said who was there so far; once frozen, nothing more is written into it.
		await act(s0, id, { type: 'end' });
		const text = await minutesText(view.minutesDraftId!);
		expect(text).toContain('U regjistruan 2 të pranishëm:');
		expect(text).not.toContain('Mbledhja u mbyll');
		const register = await votes.decisions(a.auth, { meeting: id });
		expect(register.decisions.map((d) => [d.voteId, d.outcome, d.draft?.hash])).toEqual([[voteId, 'passed', version.hash]]);
	});

	// Two chairs putting the minutes at once: one put, one vote, one approval item, and who was there written into the
	// minutes once. The guard is the claim on the put (claimMinutes). Seen failing without it (claimMinutes answering
	// true), on SQLite and on PostgreSQL: both puts wrote the attendance and decisions into the minutes before either
	// froze them (two "Attendance" headings in the text voted on), and the second was refused as a draft "moved
	// meanwhile", without the words the form shows.
	it('puts the minutes once when two chairs put them at once', async () => {
		const { meetings } = app.ctx.services;
		for (let round = 0; round < 3; round++) {
			const id = await meetings.create(chair.auth, meetingInput({ title: `Dy kryesues ${round}` }), 'en');
			await meetings.act(chair.auth, id, { type: 'start' });
			const draftId = (await meetings.get(chair.auth, id)).minutesDraftId!;
			// Only stewards may put them (see the next test): the coordinator in two tabs stands for two of them.
			const puts = await Promise.allSettled([meetings.putMinutes(chair.auth, id, 'now'), meetings.putMinutes(chair.auth, id, 'now')]);
			expect((await minutesText(draftId)).match(/^Attendance$/gm)).toHaveLength(1);
			expect(await app.ctx.db.selectFrom('agenda_items').select('id').where('draft_id', '=', draftId).execute()).toHaveLength(1);
			expect(await app.ctx.db.selectFrom('votes').select('status').where('meeting_id', '=', id).execute()).toEqual([{ status: 'open' }]);
			expect(await app.ctx.db.selectFrom('draft_versions').select('number').where('draft_id', '=', draftId).execute()).toHaveLength(1);
			expect(puts.filter((p) => p.status === 'fulfilled')).toHaveLength(1);
			expect(puts.find((p) => p.status === 'rejected')?.reason).toMatchObject({ code: 'conflict', fields: { when: 'minutes_already_put' } });
		}
	});

	// Without the refusal (put checking the stewards only for minutes still open), the co-chair, who is no steward,
	// put the frozen minutes to a second vote beside the one they were frozen for (run, seen failing, restored).
	it('refuses to put minutes already frozen, whoever chairs', async () => {
		const { meetings, drafts } = app.ctx.services;
		const [coChair] = members;
		const id = await meetings.create(chair.auth, meetingInput({ title: 'Procesverbal i ngrirë', chairIds: [coChair.id] }), 'sq');
		await meetings.act(chair.auth, id, { type: 'start' });
		const draftId = (await meetings.get(chair.auth, id)).minutesDraftId!;
		await expect(meetings.putMinutes(coChair.auth, id, 'now')).rejects.toMatchObject({ code: 'forbidden', message: 'not_minutes_steward' });
		// A steward freezes them for a vote of their own (as from the draft's page).
		await drafts.setStatus(chair.auth, draftId, 'frozen');
		for (const who of [coChair, chair]) {
			await expect(meetings.putMinutes(who.auth, id, 'now')).rejects.toMatchObject({ code: 'conflict', fields: { when: 'minutes_frozen' } });
		}
		expect(await app.ctx.db.selectFrom('votes').select('id').where('meeting_id', '=', id).execute()).toEqual([]);
		expect((await meetings.get(chair.auth, id)).minutesVoteId).toBeNull();
		// Opened to changes again, they are put as ever.
		await drafts.setStatus(chair.auth, draftId, 'review');
		expect(await meetings.putMinutes(chair.auth, id, 'now')).toEqual((await meetings.get(chair.auth, id)).minutesVoteId);
	});

	// Shown to fail without the put taking itself back (MinutesApproval's catch around #scheduleVote): the minutes
	// stayed frozen for no vote, their approval item stayed on the agenda, the chair was given the vote's own error
	// (a page saying only "unexpected error"), and putting them again was refused as minutes_frozen.
	it('leaves the minutes open to changes, with no approval item, when the vote on them cannot be made', async () => {
		const { meetings, drafts, votes } = app.ctx.services;
		// A body no other test here meets in, and its next meeting, with an agenda the failed put must leave as it was.
		const { id: groupId } = await app.ctx.db.selectFrom('groups').select('id').where('slug', '=', 'klasteri-korfuz').executeTakeFirstOrThrow();
		const next = await meetings.create(chair.auth, meetingInput({ title: 'Mbledhja pasuese', groupId, agenda: ['Hapja', 'Buxheti'] }), 'sq');
		const agendaOf = async (id: number) => (await meetings.get(chair.auth, id)).agenda.map((a) => [a.position, a.title]);
		for (const when of ['now', 'next'] as const) {
			const id = await meetings.create(chair.auth, meetingInput({ title: `Procesverbal pa votim (${when})`, groupId }), 'sq');
			await meetings.act(chair.auth, id, { type: 'start' });
			const draftId = (await meetings.get(chair.auth, id)).minutesDraftId!;
			const before = { status: (await drafts.get(chair.auth, draftId)).status, agendas: [await agendaOf(id), await agendaOf(next)] };
			const failing = vi.spyOn(votes, 'createInMeeting').mockRejectedValueOnce(new Error('disk I/O error'));
			const logged = vi.spyOn(app.ctx.logger, 'error').mockImplementation(() => {});
			if (when === 'now') {
				// From the meeting's page: its form says what happened, in the chair's language.
				const res = await postForm(app.url, `/meetings/${id}?/putMinutes`, { when }, chair.cookie);
				const { locale } = await app.ctx.db.selectFrom('users').select('locale').where('id', '=', chair.id).executeTakeFirstOrThrow();
				expect(res.status).toBe(500);
				expect(await res.text()).toContain(m.rec_problem_minutes_not_put({}, { locale: locale as 'sq' | 'en' | 'el' }));
			} else await expect(meetings.putMinutes(chair.auth, id, when)).rejects.toMatchObject({ code: 'internal', fields: { when: 'minutes_not_put' } });
			// The cause is in the server's log, for whoever runs it.
			expect(logged).toHaveBeenCalledWith(expect.stringContaining('minutes'), expect.objectContaining({ meetingId: id, error: expect.objectContaining({ message: 'disk I/O error' }) }));
			failing.mockRestore();
			logged.mockRestore();
			const minutes = await drafts.get(chair.auth, draftId);
			expect([minutes.status, minutes.can.edit]).toEqual([before.status, true]);
			expect([await agendaOf(id), await agendaOf(next)]).toEqual(before.agendas);
			expect(await app.ctx.db.selectFrom('votes').select('id').where('meeting_id', 'in', [id, next]).execute()).toEqual([]);
			expect((await meetings.get(chair.auth, id)).minutesVoteId).toBeNull();
			// Put again, they go to their vote as ever.
			const voteId = await meetings.putMinutes(chair.auth, id, when);
			expect((await meetings.get(chair.auth, id)).minutesVoteId).toBe(voteId);
			expect((await drafts.get(chair.auth, draftId)).status).toBe('frozen');
			expect((await votes.get(chair.auth, voteId)).status).toBe(when === 'now' ? 'open' : 'scheduled');
		}
	});
});

describe('consent rounds feed the next meeting', () => {
	it('turns standing objections into proposals of the body next meeting; the chair accepts or drops; the outcome goes back to the thread; ballots keep no reasons', async () => {
		const { meetings, votes } = app.ctx.services;
		const [a, b, c, d] = members;
		// A public meeting, so that its outcome may go into the round's public thread (members-only: the next test).
		const next = await meetings.create(chair.auth, meetingInput({ title: 'Mbledhja e ardhshme', startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN, agenda: ['Hapja'], visibility: 'public' }), 'en');
		const threadId = await aThread();
		const voteId = await votes.create(chair.auth, voteInput({ title: 'The new statute', method: 'consent', visibility: 'public' }), { threadId }, true);
		const receiptOf: Record<number, string> = {};
		for (const [p, choice, reason] of [
			[a, 'object', 'Article 4 must be rewritten.'],
			[b, 'block', 'The fees exclude small organisations.'],
			[c, 'object', 'Too soon.'],
			[d, 'agree', undefined]
		] as const)
			receiptOf[p.id] = (await votes.cast(p.auth, voteId, { ballot: { method: 'consent', choice, reason } })).receipt;
		// c resolves their objection before the round closes: it is no longer one.
		await votes.cast(c.auth, voteId, { ballot: { method: 'consent', choice: 'agree' }, replace: true });
		await votes.close(chair.auth, voteId);
		await expect.poll(async () => (await proposalsOf(voteId)).length).toBe(2);

		const rows = await proposalsOf(voteId);
		expect(rows.map((r) => [r.meeting_id, r.kind, r.reason, r.author_unit, r.status]).sort()).toEqual(
			[
				[next, 'block', 'The fees exclude small organisations.', `u:${b.id}`, 'proposed'],
				[next, 'object', 'Article 4 must be rewritten.', `u:${a.id}`, 'proposed']
			].sort()
		);
		// The reasons left the ballots: neither the published list nor the stored ballots hold them any more.
		const published = await votes.published(d.auth, voteId);
		expect(published.map((p) => p.ballot)).not.toContainEqual(expect.objectContaining({ reason: expect.anything() }));
		const stored = await app.ctx.db.selectFrom('vote_ballots').select('choice').where('vote_id', '=', voteId).execute();
		expect(stored.map((s) => s.choice).join()).not.toMatch(/reason|Article 4|fees/);

		// Members see them on the next meeting; a visitor sees none. The chair accepts one, drops the other.
		const view = await meetings.get(d.auth, next);
		expect(view.proposals.map((p) => [p.kind, p.author, p.mine])).toHaveLength(2);
		expect((await meetings.get(null, next).catch(() => null))?.proposals ?? []).toEqual([]);
		const objection = view.proposals.find((p) => p.kind === 'object')!;
		const block = view.proposals.find((p) => p.kind === 'block')!;
		await expect(meetings.decideProposal(a.auth, next, objection.id, true)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(meetings.withdrawProposal(d.auth, next, objection.id)).rejects.toMatchObject({ code: 'forbidden' });
		await meetings.decideProposal(chair.auth, next, objection.id, true);
		await expect(meetings.decideProposal(chair.auth, next, objection.id, false)).rejects.toMatchObject({ code: 'conflict', message: 'proposal_decided' });
		await meetings.decideProposal(chair.auth, next, block.id, false);
		const agenda = (await meetings.get(chair.auth, next)).agenda;
		const item = agenda.at(-1)!;
		expect(item).toMatchObject({ title: 'Objection to “The new statute”', notes: 'Article 4 must be rewritten.', thread: { id: threadId } });

		// The meeting takes the item up with a vote; its conclusion goes back to the proposal and the round's thread.
		const [s0, sa, sd] = await Promise.all([chair, a, d].map(socketOf));
		await Promise.all([s0, sa, sd].map((s) => join(s, next)));
		await act(s0, next, { type: 'start' });
		await act(sa, next, { type: 'check_in' });
		await act(sd, next, { type: 'check_in' });
		const followUp = await meetings.openVote(chair.auth, next, item.id, voteInput({ title: 'Rewrite article 4' }));
		await castBySocket(sa, { voteId: followUp, ballot: { method: 'yes_no', choice: 'yes' } });
		await castBySocket(sd, { voteId: followUp, ballot: { method: 'yes_no', choice: 'yes' } });
		await act(s0, next, { type: 'conclude_item', itemId: item.id });
		const outcome = (await proposalsOf(voteId)).find((r) => r.id === objection.id)!.outcome!;
		expect(outcome).toContain('The meeting “Mbledhja e ardhshme” took up this objection as item 2. Objection to “The new statute”.');
		expect(outcome).toContain('Vote “Rewrite article 4”: Passed: 2 yes against 0 no');
		expect((await proposalsOf(voteId)).find((r) => r.id === block.id)!.outcome).toBe("The meeting's chair dropped this objection from the agenda.");
		const post = await app.ctx.db.selectFrom('posts').select(['body', 'author_id']).where('thread_id', '=', threadId).orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(post).toMatchObject({ body: outcome, author_id: chair.id });
	});

	it('a secret round names nobody; a round closing with no meeting called waits for the body next one', async () => {
		const { meetings, votes } = app.ctx.services;
		const [a] = members;
		const group = await app.ctx.db.selectFrom('groups').select(['id']).where('slug', '=', 'klasteri-korce').executeTakeFirstOrThrow();
		await app.ctx.db.insertInto('group_members').values({ group_id: group.id, user_id: a.id, role: 'member', joined_at: Date.now() }).onConflict((oc) => oc.doNothing()).execute();
		const voteId = await votes.create(chair.auth, voteInput({ title: 'Korça statute', method: 'consent', secret: true, eligibility: 'group', groupId: group.id }), {}, true);
		await votes.cast(a.auth, voteId, { ballot: { method: 'consent', choice: 'object', reason: 'Not in winter.' } });
		await votes.close(chair.auth, voteId);
		await expect.poll(async () => (await proposalsOf(voteId)).length).toBe(1);
		expect(await proposalsOf(voteId)).toMatchObject([{ meeting_id: null, author_unit: null, reason: 'Not in winter.' }]);
		const id = await meetings.create(chair.auth, meetingInput({ title: 'Korça', groupId: group.id }), 'sq');
		expect((await proposalsOf(voteId))[0].meeting_id).toBe(id);
		expect((await meetings.get(a.auth, id)).proposals).toMatchObject([{ author: null, mine: false, kind: 'object' }]);
	});

	// Fails without the two guards (agenda-proposals decide's `hidden`, meeting-record concluded's threadIsPublic):
	// the members-only round's title and objection were on the public meeting's agenda, and the members-only
	// meeting's title and results were posted into the public thread.
	it('keeps a members-only round out of a public agenda, and a members-only meeting out of a public thread', async () => {
		const { meetings, votes } = app.ctx.services;
		const [a] = members;
		const groupOf = async (slug: string) => {
			const group = await app.ctx.db.selectFrom('groups').select(['id']).where('slug', '=', slug).executeTakeFirstOrThrow();
			await app.ctx.db.insertInto('group_members').values({ group_id: group.id, user_id: a.id, role: 'member', joined_at: Date.now() }).onConflict((oc) => oc.doNothing()).execute();
			return group.id;
		};
		const roundOn = async (groupId: number, visibility: 'public' | 'members', threadId?: number) => {
			const voteId = await votes.create(chair.auth, voteInput({ title: 'The quiet budget', method: 'consent', visibility, eligibility: 'group', groupId }), threadId ? { threadId } : {}, true);
			await votes.cast(a.auth, voteId, { ballot: { method: 'consent', choice: 'object', reason: 'Only the members know why.' } });
			await votes.close(chair.auth, voteId);
			await expect.poll(async () => (await proposalsOf(voteId)).length).toBe(1);
			return voteId;
		};

		// A members-only round, a public meeting: the item is on its agenda without the round's title or the objection.
		const vlora = await groupOf('klasteri-vlore');
		const open = await meetings.create(chair.auth, meetingInput({ title: 'Vlora in the open', groupId: vlora, visibility: 'public' }), 'en');
		const quiet = await roundOn(vlora, 'members');
		const [proposal] = await proposalsOf(quiet);
		await meetings.decideProposal(chair.auth, open, proposal.id, true);
		const shown = await meetings.get(null, open);
		expect(shown.agenda.at(-1)).toMatchObject({ title: 'Objection from a members-only consent round', notes: '' });
		expect(JSON.stringify(shown)).not.toMatch(/quiet budget|Only the members/);

		// A public round on a public thread, a members-only meeting: its outcome stays on the proposal.
		const arta = await groupOf('klasteri-arta');
		const closed = await meetings.create(chair.auth, meetingInput({ title: 'Arta behind doors', groupId: arta, visibility: 'members' }), 'en');
		const threadId = (await app.ctx.db.selectFrom('threads as t').innerJoin('categories as c', 'c.id', 't.category_id').select('t.id').where('c.visibility', '=', 'public').where('t.members_only', '=', 0).where('t.hidden', '=', 0).where('t.locked', '=', 0).where('t.archived', '=', 0).orderBy('t.id').executeTakeFirstOrThrow()).id;
		const round = await roundOn(arta, 'public', threadId);
		const [taken] = await proposalsOf(round);
		await meetings.decideProposal(chair.auth, closed, taken.id, true);
		const item = (await meetings.get(chair.auth, closed)).agenda.at(-1)!;
		const posts = async () => (await app.ctx.db.selectFrom('posts').select('id').where('thread_id', '=', threadId).execute()).length;
		const before = await posts();
		const s0 = await socketOf(chair);
		await join(s0, closed);
		await act(s0, closed, { type: 'start' });
		await act(s0, closed, { type: 'conclude_item', itemId: item.id });
		await expect.poll(async () => (await proposalsOf(round))[0].outcome).toContain('Arta behind doors');
		expect(await posts()).toBe(before);
	});

	// Two nodes closing the same round at once (the closing node's listener, the schedule's sweep, several callers):
	// one set of proposals, one move recorded. The guard is the claim on the round (claimObjections: objections_moved_at
	// set from null, in the transaction that moves them). Seen failing without it (claimObjections answering true):
	// on PostgreSQL 16 proposals instead of 2 (the 8 movers read the ballots before any committed); on SQLite, whose
	// transactions run one after another, 8 moves recorded instead of 1.
	it('moves the objections once however many nodes move them at once', async () => {
		const { meetings, votes } = app.ctx.services;
		const [a, b] = members;
		const voteId = await votes.create(chair.auth, voteInput({ title: 'Raced', method: 'consent' }), {}, true);
		await votes.cast(a.auth, voteId, { ballot: { method: 'consent', choice: 'object', reason: 'One.' } });
		await votes.cast(b.auth, voteId, { ballot: { method: 'consent', choice: 'block', reason: 'Two.' } });
		await votes.close(chair.auth, voteId);
		const made = await Promise.all([...Array.from({ length: 6 }, () => meetings.moveObjections(voteId)), meetings.sweepObjections().then(() => 0)]);
		await expect.poll(async () => (await proposalsOf(voteId)).length).toBe(2);
		expect(made.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(2);
		expect(await app.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'vote.objections_moved').where('subject_id', '=', String(voteId)).execute()).toHaveLength(1);
	});
});
