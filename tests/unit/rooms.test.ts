import { describe, expect, it } from 'vitest';
import { checkedRoom, rooms } from '../../server/realtime/rooms.js';

describe('room names', () => {
	it('reads back what each checked room is about, and nothing else', () => {
		expect(checkedRoom(rooms.thread(7))).toEqual({ kind: 'thread', id: 7 });
		expect(checkedRoom(rooms.category(3))).toEqual({ kind: 'category', id: 3 });
		expect(checkedRoom(rooms.draft(12))).toEqual({ kind: 'draft', id: 12 });
		expect(checkedRoom(rooms.vote(5))).toEqual({ kind: 'vote', id: 5 });
		expect(checkedRoom(rooms.voteResults(5))).toEqual({ kind: 'voteResults', id: 5 });
		expect(checkedRoom(rooms.meeting(9))).toEqual({ kind: 'meeting', id: 9 });
		// A person's and a session's own rooms, and a socket's own id, need no check.
		for (const name of [rooms.user(1), rooms.session('abc'), 'Xy12_-socketid', 'draft:1:results', 'thread:01', 'thread:']) {
			expect(checkedRoom(name)).toBeNull();
		}
	});
});
