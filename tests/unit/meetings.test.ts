import { describe, expect, it } from 'vitest';
import { canCallMeeting, canChair, canSeeMeeting, meetingInputProblems, nextPosition, nextSpeaker, positionAt, quorumMeter, raiseHandProblem, type MeetingInput, type Speaker } from '../../server/domain/meetings.js';

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
		expect(canSeeMeeting(null, facts)).toBe(false);
		expect(canSeeMeeting(null, { visibility: 'public' })).toBe(true);
		expect(canCallMeeting(member, true, 4)).toBe(true);
		expect(canCallMeeting(member, false, 4)).toBe(false);
		expect(canCallMeeting(member, true, null)).toBe(false);
		expect(canCallMeeting(coordinator, false, null)).toBe(true);
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
