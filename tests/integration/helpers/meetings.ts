import type { Socket } from 'socket.io-client';
import type { LiveState, MeetingInput } from '../../../src/lib/shared/meetings.js';

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

/** The next room state `s` receives that satisfies `check`; refused after `ms` (CI's busy machine once took over 5 s). */
export const stateWhere = (s: Socket, check: (st: LiveState) => boolean, ms = 15_000) =>
	new Promise<LiveState>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('no such state in time')), ms);
		const on = (st: LiveState) => {
			if (!check(st)) return;
			clearTimeout(timer);
			s.off('meeting:state', on);
			resolve(st);
		};
		s.on('meeting:state', on);
	});
