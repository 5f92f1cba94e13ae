import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { docNameOf } from '../../server/services/drafts.service.js';
import type { LiveState, MeetingAction, MeetingInput } from '../../src/lib/shared/meetings.js';
import { m } from '../../src/lib/paraglide/messages.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { stateWhere } from './helpers/meetings.js';
import { castBySocket, makePeople, memberSocket, personByEmail, voteInput, type Person } from './helpers/votes.js';

let app: TestApp;
let chair: Person;
let members: Person[];
const sockets: Socket[] = [];

beforeAll(async () => {
	app = await startTestApp();
	chair = await personByEmail(app, 'coordinator@demo.test');
	members = await makePeople(app, 4);
});
afterAll(async () => {
	for (const s of sockets) s.disconnect();
	await app?.dispose();
});

const HOUR = 60 * 60 * 1000;
const meetingInput = (over: Partial<MeetingInput> = {}): MeetingInput => ({
	title: 'Asambleja e pranverës',
	description: '',
	startsAt: Date.now() + HOUR,
	endsAt: Date.now() + 3 * HOUR,
	place: 'Korçë, Teatri Andon Zako Çajupi',
	onlineUrl: '',
	groupId: null,
	visibility: 'members',
	quorum: { kind: 'count', count: 3 },
	agenda: ['Hapja', 'Buxheti 2027', 'Të ndryshme'],
	chairIds: [],
	...over
});

const socketOf = async (p: Person) => {
	const s = await memberSocket(app.url, p.cookie);
	sockets.push(s);
	return s;
};
const join = (s: Socket, meetingId: number) => new Promise<{ ok: boolean; state: LiveState; code?: string }>((r) => s.emit('meeting:join', { meetingId }, r));
const act = (s: Socket, meetingId: number, action: MeetingAction) => new Promise<{ ok: boolean; code?: string; message?: string }>((r) => s.emit('meeting:act', { meetingId, action }, r));
async function minutesText(draftId: number): Promise<string> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await app.ctx.services.documents.state(docNameOf(draftId)));
	return doc.getXmlFragment('default').toString();
}

describe('calling a meeting', () => {
	it('creates it with its agenda, chairs and minutes; members may not call a network meeting', async () => {
		const { meetings } = app.ctx.services;
		const id = await meetings.create(chair.auth, meetingInput({ chairIds: [members[0].id] }));
		const view = await meetings.get(members[1].auth, id);
		expect(view.agenda.map((a) => [a.position, a.title, a.status])).toEqual([
			[1, 'Hapja', 'pending'],
			[2, 'Buxheti 2027', 'pending'],
			[3, 'Të ndryshme', 'pending']
		]);
		expect(view.chairs.map((c) => c.id).sort()).toEqual([chair.id, members[0].id].sort());
		expect(view.can.chair).toBe(false);
		expect((await meetings.get(members[0].auth, id)).can.chair).toBe(true);
		const minutes = await minutesText(view.minutesDraftId!);
		expect(minutes).toContain('Asambleja e pranverës');
		expect(minutes).toContain('1. Hapja');
		expect(minutes).toContain('2. Buxheti 2027');
		await expect(meetings.create(members[1].auth, meetingInput())).rejects.toMatchObject({ code: 'forbidden' });
		const { abilities } = app.ctx.services;
		expect([await abilities.mayCall(members[1].auth), await abilities.mayCall(chair.auth), await abilities.mayCall(null)]).toEqual([false, true, false]);
		// member1 of the demo facilitates a cluster: they may call meetings (for their group).
		expect(await abilities.mayCall(await personByEmail(app, 'member1@demo.test').then((p) => p.auth))).toBe(true);
		// A form field that could not be read is told with the meeting's own problems, after the person is authorised.
		await expect(meetings.create(members[1].auth, meetingInput(), 'sq', { startsAt: 'invalid_date' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(meetings.create(chair.auth, meetingInput({ title: '' }), 'sq', { startsAt: 'invalid_date' })).rejects.toMatchObject({ fields: { title: 'required', startsAt: 'invalid_date' } });
		await expect(meetings.create(chair.auth, meetingInput({ title: '', place: '', endsAt: Date.now() }))).rejects.toMatchObject({
			code: 'invalid_input',
			fields: { title: 'required', place: 'place_or_link', endsAt: 'ends_before_starts' }
		});
		// Visitors see public meetings only; the calendar feed lists what the reader may see.
		const pub = await meetings.create(chair.auth, meetingInput({ title: 'Takim publik', visibility: 'public', onlineUrl: 'https://meet.example.org/kuvend' }));
		const seen = await meetings.list(null);
		expect(seen.map((m) => m.id)).toContain(pub);
		expect(seen.map((m) => m.id)).not.toContain(id);
		expect(seen.every((m) => m.visibility === 'public')).toBe(true);
		await expect(meetings.get(null, id)).rejects.toMatchObject({ code: 'unauthenticated' });
		const ics = await (await fetch(`${app.url}/meetings/calendar.ics`)).text();
		expect(ics).toContain('BEGIN:VCALENDAR');
		expect(ics).toContain('SUMMARY:Takim publik');
		expect(ics).not.toContain('SUMMARY:Asambleja e pranverës\r\n');
	});
});

describe('the live room', () => {
	it('shows who is here within a second, checks in, meets quorum, runs speakers and a live vote into the minutes', async () => {
		const { meetings, votes } = app.ctx.services;
		const id = await meetings.create(chair.auth, meetingInput());
		const [a, b, c, d] = members;
		const chairSocket = await socketOf(chair);
		expect((await join(chairSocket, id)).state.people.map((p) => p.id)).toEqual([chair.id]);

		// Presence: a member arriving and leaving reaches the chair within a second.
		const sa = await socketOf(a);
		const arrived = stateWhere(chairSocket, (st) => st.people.some((p) => p.id === a.id && p.online), 1000);
		await join(sa, id);
		await arrived;
		const sd = await socketOf(d);
		await join(sd, id);
		const left = stateWhere(chairSocket, (st) => !st.people.some((p) => p.id === d.id), 1000);
		sd.disconnect();
		await left;

		// Only chairs start; members check themselves in, not others.
		expect(await act(sa, id, { type: 'start' })).toMatchObject({ ok: false, code: 'forbidden', message: 'not_chair' });
		expect(await act(chairSocket, id, { type: 'start' })).toMatchObject({ ok: true });
		expect(await act(sa, id, { type: 'check_in', userId: b.id })).toMatchObject({ ok: false, code: 'forbidden' });
		const [sb, sc] = await Promise.all([socketOf(b), socketOf(c)]);
		await Promise.all([join(sb, id), join(sc, id)]);
		const quorate = stateWhere(chairSocket, (st) => st.quorum.reached);
		expect(await act(sa, id, { type: 'check_in' })).toMatchObject({ ok: true });
		expect(await act(sb, id, { type: 'check_in' })).toMatchObject({ ok: true });
		expect(await act(chairSocket, id, { type: 'check_in', userId: c.id })).toMatchObject({ ok: true });
		const state = await quorate;
		expect(state.quorum).toMatchObject({ present: 3, needed: 3, reached: true });
		expect(state.currentItemId).toBe((await meetings.get(chair.auth, id)).agenda[0].id);

		// Speakers: a hand each, in order; the chair gives the floor and reorders.
		const sd2 = await socketOf(d);
		expect(await act(sd2, id, { type: 'raise_hand' })).toMatchObject({ ok: false, message: 'not_checked_in' });
		expect(await act(sa, id, { type: 'raise_hand' })).toMatchObject({ ok: true });
		expect(await act(sa, id, { type: 'raise_hand' })).toMatchObject({ ok: false, message: 'already_waiting' });
		expect(await act(sb, id, { type: 'raise_hand' })).toMatchObject({ ok: true });
		expect(await act(sc, id, { type: 'raise_hand' })).toMatchObject({ ok: true });
		let speakers = (await meetings.state(chair.auth, id)).speakers;
		expect(speakers.map((s) => s.userId)).toEqual([a.id, b.id, c.id]);
		expect(await act(sb, id, { type: 'give_floor' })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(await act(chairSocket, id, { type: 'move_speaker', speakerId: speakers[2].id, index: 0 })).toMatchObject({ ok: true });
		expect(await act(chairSocket, id, { type: 'give_floor' })).toMatchObject({ ok: true });
		speakers = (await meetings.state(chair.auth, id)).speakers;
		expect(speakers.map((s) => [s.userId, s.status])).toEqual([
			[c.id, 'speaking'],
			[a.id, 'waiting'],
			[b.id, 'waiting']
		]);
		expect(await act(sa, id, { type: 'withdraw' })).toMatchObject({ ok: true });
		expect(await act(chairSocket, id, { type: 'give_floor' })).toMatchObject({ ok: true });
		expect((await meetings.state(chair.auth, id)).speakers.map((s) => [s.userId, s.status])).toEqual([[b.id, 'speaking']]);

		// A live vote on the current item: those checked in vote; d (not checked in) may not.
		const view = await meetings.get(chair.auth, id);
		const item = view.agenda[0];
		await expect(meetings.openVote(a.auth, id, item.id, voteInput({ title: 'Hapja e rendit' }))).rejects.toMatchObject({ code: 'forbidden' });
		const voteId = await meetings.openVote(chair.auth, id, item.id, voteInput({ title: 'Miratimi i rendit të ditës', quorum: { kind: 'share', share: 0.5 } }));
		const opened = await votes.get(a.auth, voteId);
		expect(opened).toMatchObject({ status: 'open', eligible: 3 });
		expect(await castBySocket(sa, { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: true });
		expect(await castBySocket(sb, { voteId, ballot: { method: 'yes_no', choice: 'no' } })).toMatchObject({ ok: true });
		expect(await castBySocket(sc, { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: true });
		expect(await castBySocket(sd2, { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: false, reason: 'not_eligible' });
		expect(await act(sa, id, { type: 'close_vote', voteId })).toMatchObject({ ok: false, code: 'forbidden' });
		const closed = stateWhere(chairSocket, (st) => st.votes.some((v) => v.id === voteId && v.status === 'closed'));
		expect(await act(chairSocket, id, { type: 'close_vote', voteId })).toMatchObject({ ok: true });
		expect((await closed).votes.find((v) => v.id === voteId)).toMatchObject({ outcome: 'passed' });

		// Concluding the item moves to the next and writes the result into the minutes; the decision knows the meeting.
		expect(await act(chairSocket, id, { type: 'conclude_item', itemId: item.id })).toMatchObject({ ok: true });
		expect((await meetings.state(chair.auth, id)).currentItemId).toBe(view.agenda[1].id);
		const minutes = await minutesText(view.minutesDraftId!);
		expect(minutes).toContain('Miratimi i rendit të ditës');
		expect(minutes).toContain(m.vote_outcome_passed({}, { locale: 'sq' }));
		expect(minutes).toContain('3');
		const decision = await app.ctx.db.selectFrom('decisions').select(['meeting_id', 'outcome']).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		expect(decision).toEqual({ meeting_id: id, outcome: 'passed' });
		const register = await votes.decisions(a.auth, { meeting: id });
		expect(register.decisions.map((dc) => [dc.voteId, dc.meeting])).toEqual([[voteId, { id, title: 'Asambleja e pranverës' }]]);
	});

	it('brings a member back to the state of the server after a dropped connection', async () => {
		const { meetings } = app.ctx.services;
		const id = await meetings.create(chair.auth, meetingInput({ title: 'Rilidhja' }));
		const [a, b] = members;
		const chairSocket = await socketOf(chair);
		await join(chairSocket, id);
		await act(chairSocket, id, { type: 'start' });
		let sa = await socketOf(a);
		await join(sa, id);
		await act(sa, id, { type: 'check_in' });
		const sb = await socketOf(b);
		await join(sb, id);
		await act(sb, id, { type: 'check_in' });
		const item = (await meetings.get(chair.auth, id)).agenda[0];
		const voteId = await meetings.openVote(chair.auth, id, item.id, voteInput({ title: 'Gjatë shkëputjes' }));
		const receipt = await castBySocket(sa, { voteId, ballot: { method: 'yes_no', choice: 'abstain' } });

		// a drops; meanwhile the vote closes, the chair moves on and someone raises a hand.
		sa.disconnect();
		await new Promise((r) => setTimeout(r, 200));
		expect((await meetings.state(chair.auth, id)).people.find((p) => p.id === a.id)).toMatchObject({ online: false, checkedIn: true });
		await act(chairSocket, id, { type: 'close_vote', voteId });
		await act(chairSocket, id, { type: 'set_item', itemId: (await meetings.get(chair.auth, id)).agenda[2].id });
		await act(sb, id, { type: 'raise_hand' });

		// Back: a new connection re-authenticates (a revoked session would be refused) and joining returns the state.
		sa = await socketOf(a);
		const back = (await join(sa, id)).state;
		const server = await meetings.state(chair.auth, id);
		expect({ ...back, at: 0 }).toEqual({ ...server, at: 0 });
		expect(back.votes.find((v) => v.id === voteId)).toMatchObject({ status: 'closed' });
		const mine = await app.ctx.services.votes.get(a.auth, voteId);
		expect(mine.me).toMatchObject({ voted: true, ballot: { method: 'yes_no', choice: 'abstain' } });
		expect(receipt.ok).toBe(true);
		// A session ended while away: the reconnect is refused.
		await app.ctx.services.auth.signOutEverywhere(a.auth);
		const refused = memberSocket(app.url, a.cookie);
		await expect(refused).rejects.toThrow(/unauthenticated/);
	});
});

describe('the projector and the agenda', () => {
	it('follows the room without being shown as here, and refuses items carrying what the chair may not read', async () => {
		const { meetings } = app.ctx.services;
		const id = await meetings.create(chair.auth, meetingInput({ title: 'Projektori' }));
		// members[0] signed out everywhere in the test above.
		const wall = await socketOf(members[2]);
		const watched = await new Promise<{ ok: boolean; state: LiveState }>((r) => wall.emit('meeting:join', { meetingId: id, watchOnly: true }, r));
		expect(watched.ok).toBe(true);
		const chairSocket = await socketOf(chair);
		await join(chairSocket, id);
		const seen = await stateWhere(wall, (st) => st.people.some((p) => p.id === chair.id));
		expect(seen.people.map((p) => p.id)).toEqual([chair.id]);

		await expect(meetings.addItem(chair.auth, id, { title: 'Fije që s’ekziston', threadId: 999999 })).rejects.toMatchObject({ code: 'invalid_input', fields: { thread: 'not_found' } });
		await expect(meetings.addItem(members[1].auth, id, { title: 'Jo kryesues' })).rejects.toMatchObject({ code: 'forbidden' });
		await meetings.addItem(chair.auth, id, { title: 'Pikë e re' });
		expect((await meetings.get(chair.auth, id)).agenda.map((a) => a.title)).toEqual(['Hapja', 'Buxheti 2027', 'Të ndryshme', 'Pikë e re']);
	});
});
