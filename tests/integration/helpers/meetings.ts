import type { MeetingInput } from '../../../src/lib/shared/meetings.js';

const HOUR = 60 * 60 * 1000;

/** A members-only network meeting an hour from now, with a one-item agenda; `over` changes any part. */
export const meetingInput = (over: Partial<MeetingInput> = {}): MeetingInput => ({
	title: 'Mbledhja e provës',
	description: '',
	startsAt: Date.now() + HOUR,
	endsAt: Date.now() + 2 * HOUR,
	place: 'Tiranë',
	onlineUrl: '',
	groupId: null,
	visibility: 'members',
	quorum: { kind: 'none' },
	agenda: ['Një'],
	chairIds: [],
	...over
});
