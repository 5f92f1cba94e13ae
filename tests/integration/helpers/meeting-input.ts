import type { MeetingInput } from '../../../src/lib/shared/meetings.js';

const HOUR = 3_600_000;

/** A valid new meeting: public, for the whole network, tomorrow, with a place; `over` changes what a test needs. */
export const meetingInput = (over: Partial<MeetingInput> = {}): MeetingInput => ({
	title: 'Takim',
	description: '',
	startsAt: Date.now() + 24 * HOUR,
	endsAt: Date.now() + 26 * HOUR,
	place: 'Korçë, Teatri',
	onlineUrl: '',
	groupId: null,
	visibility: 'public',
	quorum: { kind: 'none' },
	agenda: [],
	chairIds: [],
	...over
});
