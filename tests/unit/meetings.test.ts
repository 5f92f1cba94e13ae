import { describe, expect, it } from 'vitest';
import { canChair, canSeeMeeting, canTakePart, nextPosition, nextSpeaker, positionAt, quorumMeter, raiseHandProblem, roomActionRefusal, ROOM_ACTIONS, type Speaker } from '../../server/domain/meetings.js';
import { runsBusinessOf } from '../../server/domain/permissions.js';
import { LocalRoomPresence } from '../../server/services/room-presence.js';
import { agendaItemSchema, fieldProblems, meetingInputProblems, type MeetingInput } from '../../src/lib/shared/meeting-schemas.js';

const member = { id: 1, role: 'member' as const, status: 'active' as const };
const coordinator = { id: 2, role: 'coordinator' as const, status: 'active' as const };
const suspended = { id: 3, role: 'member' as const, status: 'suspended' as const };

describe('who does what in a meeting', () => {
	it('lets chairs and coordinators chair, and shows members-only meetings to members', () => {
		const facts = { visibility: 'members' as const, chairs: [1, 3], facilitators: [] };
		expect(canChair(member, facts)).toBe(true);
		expect(canChair(coordinator, facts)).toBe(true);
		expect(canChair(suspended, facts)).toBe(false);
		expect(canChair({ ...member, id: 9 }, facts)).toBe(false);
		// The group's facilitators chair its meetings, and only while they facilitate.
		expect(canChair({ ...member, id: 9 }, { ...facts, facilitators: [9] })).toBe(true);
		expect(canChair({ ...suspended, id: 9 }, { ...facts, facilitators: [9] })).toBe(false);
		// Only members take part in a room (and are shown as here); an applicant only follows it.
		expect(canTakePart(member)).toBe(true);
		expect(canTakePart({ ...member, status: 'applicant' })).toBe(false);
		expect(canTakePart(null)).toBe(false);
		expect(canSeeMeeting(null, facts)).toBe(false);
		expect(canSeeMeeting(null, { visibility: 'public' })).toBe(true);
		// Who may call a meeting: those who run the business of its group (or, for the network, coordinators).
		expect(runsBusinessOf(member, 4, 'facilitator')).toBe(true);
		expect(runsBusinessOf(member, 4, 'member')).toBe(false);
		expect(runsBusinessOf(member, null, 'facilitator')).toBe(false);
		expect(runsBusinessOf(coordinator, null, null)).toBe(true);
	});

	it('lets the room act by its table: chairs run it, members act for themselves, each action in its state', () => {
		const asMember = { chair: false, me: member.id };
		const asChair = { chair: true, me: coordinator.id };
		expect(roomActionRefusal({ type: 'start' }, asMember, 'scheduled')).toEqual({ code: 'forbidden', reason: 'not_chair' });
		expect(roomActionRefusal({ type: 'start' }, asChair, 'scheduled')).toBeNull();
		expect(roomActionRefusal({ type: 'start' }, asChair, 'live')).toEqual({ code: 'conflict', reason: 'meeting_not_scheduled' });
		expect(roomActionRefusal({ type: 'end' }, asChair, 'scheduled')).toEqual({ code: 'conflict', reason: 'meeting_not_live' });
		// Who they are is checked before the state: a member is refused as not the chair even in an ended meeting.
		expect(roomActionRefusal({ type: 'set_item', itemId: 1 }, asMember, 'ended')).toEqual({ code: 'forbidden', reason: 'not_chair' });
		expect(roomActionRefusal({ type: 'check_in' }, asMember, 'scheduled')).toBeNull();
		expect(roomActionRefusal({ type: 'check_in', userId: member.id }, asMember, 'live')).toBeNull();
		expect(roomActionRefusal({ type: 'check_in', userId: 9 }, asMember, 'live')).toEqual({ code: 'forbidden', reason: 'not_chair' });
		expect(roomActionRefusal({ type: 'check_in', userId: 9 }, asChair, 'live')).toBeNull();
		expect(roomActionRefusal({ type: 'check_in' }, asMember, 'ended')).toEqual({ code: 'conflict', reason: 'meeting_ended' });
		expect(roomActionRefusal({ type: 'check_out', userId: 9 }, asMember, 'ended')).toEqual({ code: 'forbidden', reason: 'not_chair' });
		expect(roomActionRefusal({ type: 'raise_hand' }, asMember, 'scheduled')).toEqual({ code: 'conflict', reason: 'meeting_not_live' });
		expect(roomActionRefusal({ type: 'withdraw' }, asMember, 'ended')).toBeNull();
		const chairOnly = Object.entries(ROOM_ACTIONS).filter(([, rule]) => rule.who === 'chair').map(([type]) => type);
		expect(chairOnly.sort()).toEqual(['close_vote', 'conclude_item', 'end', 'end_speech', 'give_floor', 'move_speaker', 'open_vote', 'remove_speaker', 'set_item', 'start']);
	});
});

describe('who is here', () => {
	it('counts a member as here while any of their sockets is, per room', async () => {
		const presence = new LocalRoomPresence();
		expect(await presence.join(1, 10, 'a')).toBe(true);
		expect(await presence.join(1, 10, 'b')).toBe(false);
		expect(await presence.join(2, 10, 'a')).toBe(true);
		expect(await presence.join(1, 11, 'c')).toBe(true);
		expect((await presence.list(1)).sort()).toEqual([10, 11]);
		expect(await presence.leave('a', 1)).toEqual([]);
		expect(await presence.list(2)).toEqual([10]);
		// A disconnect leaves every room; the member is gone where it was their last socket.
		expect(await presence.leave('a')).toEqual([2]);
		expect(await presence.leave('b')).toEqual([1]);
		expect(await presence.list(1)).toEqual([11]);
		expect(await presence.list(2)).toEqual([]);
	});
});

describe('a new meeting', () => {
	const input = (over: Partial<MeetingInput> = {}): MeetingInput => ({
		title: 'Asambleja',
		description: '',
		startsAt: 1000,
		endsAt: 2000,
		place: 'Tiranë',
		onlineUrl: '',
		groupId: null,
		visibility: 'members',
		quorum: { kind: 'none' },
		agenda: [],
		chairIds: [],
		...over
	});
	it('needs a title, a time that ends after it starts, and a place or a link', () => {
		expect(meetingInputProblems(input())).toEqual({});
		expect(meetingInputProblems(input({ place: '', onlineUrl: 'https://meet.example.org/x' }))).toEqual({});
		expect(meetingInputProblems(input({ title: '', startsAt: null, place: '' }))).toEqual({ title: 'required', startsAt: 'required', place: 'place_or_link' });
		expect(meetingInputProblems(input({ endsAt: 1000 }))).toEqual({ endsAt: 'ends_before_starts' });
		expect(meetingInputProblems(input({ onlineUrl: 'javascript:alert(1)' }))).toEqual({ onlineUrl: 'invalid_url' });
		expect(meetingInputProblems(input({ quorum: { kind: 'count', count: 0 } }))).toEqual({ quorum: 'invalid_quorum' });
		expect(meetingInputProblems(input({ agenda: Array(41).fill('x') }))).toEqual({ agenda: 'too_many' });
	});
	it('tells one problem per field, the one the form has always shown', () => {
		const long = (n: number) => 'x'.repeat(n);
		expect(meetingInputProblems(input({ title: ` ${long(201)} `, description: long(5001) }))).toEqual({ title: 'too_long', description: 'too_long' });
		// A place too long is told as such, even when it is blank and there is no link either.
		expect(meetingInputProblems(input({ place: ' '.repeat(301) }))).toEqual({ place: 'too_long' });
		expect(meetingInputProblems(input({ agenda: [...Array(41).fill('x'), long(201)] }))).toEqual({ agenda: 'too_many' });
		expect(meetingInputProblems(input({ agenda: ['', long(201)] }))).toEqual({ agenda: 'too_long' });
		expect(meetingInputProblems(input({ startsAt: null, endsAt: null }))).toEqual({ startsAt: 'required', endsAt: 'required' });
		expect(meetingInputProblems(input({ quorum: { kind: 'share', share: 1.5 } }))).toEqual({ quorum: 'invalid_quorum' });
		expect(fieldProblems(agendaItemSchema.safeParse({ title: '  ' }))).toEqual({ title: 'required' });
		expect(fieldProblems(agendaItemSchema.safeParse({ title: long(201), threadId: -1 }))).toEqual({ title: 'too_long' });
	});
	it('measures quorum against the members of the body', () => {
		expect(quorumMeter({ kind: 'share', share: 0.5 }, 4, 9)).toEqual({ present: 4, members: 9, needed: 5, reached: false });
		expect(quorumMeter({ kind: 'count', count: 3 }, 3, 20)).toEqual({ present: 3, members: 20, needed: 3, reached: true });
		expect(quorumMeter({ kind: 'none' }, 0, 20)).toMatchObject({ needed: 0, reached: true });
	});
});

describe('the list of speakers', () => {
	const queue: Speaker[] = [
		{ id: 1, userId: 10, status: 'speaking', position: 1 },
		{ id: 2, userId: 11, status: 'waiting', position: 2 },
		{ id: 3, userId: 12, status: 'waiting', position: 3 },
		{ id: 4, userId: 13, status: 'waiting', position: 4 }
	];
	it('takes one open hand per member, only from those checked in while the meeting is live', () => {
		expect(raiseHandProblem(false, true, queue, 20)).toBe('meeting_not_live');
		expect(raiseHandProblem(true, false, queue, 20)).toBe('not_checked_in');
		expect(raiseHandProblem(true, true, queue, 11)).toBe('already_waiting');
		expect(raiseHandProblem(true, true, queue, 10)).toBe('already_waiting');
		expect(raiseHandProblem(true, true, queue, 20)).toBeNull();
		expect(nextPosition(queue)).toBe(5);
	});
	it('moves a waiting speaker between its new neighbours and gives the floor to the first waiting', () => {
		const moved = (id: number, index: number) => {
			const position = positionAt(queue, id, index)!;
			return queue
				.map((s) => (s.id === id ? { ...s, position } : s))
				.filter((s) => s.status === 'waiting')
				.sort((a, b) => a.position - b.position)
				.map((s) => s.id);
		};
		expect(moved(4, 0)).toEqual([4, 2, 3]);
		expect(moved(2, 1)).toEqual([3, 2, 4]);
		expect(moved(2, 9)).toEqual([3, 4, 2]);
		expect(positionAt(queue, 1, 0)).toBeNull();
		expect(nextSpeaker(queue)?.id).toBe(2);
	});
});
