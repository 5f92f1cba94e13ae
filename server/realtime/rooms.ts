/** Socket.IO room names: one place, so broadcasters and handlers agree. */
export const rooms = {
	user: (id: number) => `user:${id}`,
	session: (id: string) => `session:${id}`,
	thread: (id: number) => `thread:${id}`,
	category: (id: number) => `category:${id}`,
	draft: (id: number) => `draft:${id}`,
	/** Everyone watching a vote (participation). */
	vote: (id: number) => `vote:${id}`,
	/** Watchers the vote's rules let see its results live. */
	voteResults: (id: number) => `vote:${id}:results`,
	/** Everyone in a meeting's live room (and its projector). */
	meeting: (id: number) => `meeting:${id}`,
	/** Visitors following a public meeting's projector: they get the room as visitors may see it. */
	meetingVisitors: (id: number) => `meeting:${id}:visitors`
};

/** The rooms whose members were let in by a check (the rest, a person's and a session's own, need none). */
export type CheckedRoom = 'thread' | 'category' | 'draft' | 'vote' | 'voteResults' | 'meeting';

const CHECKED = /^(thread|category|draft|vote|meeting):([1-9][0-9]{0,15})(:results)?$/;

/** What a room name made by `rooms` is about, for the rooms a check let in; null for any other name. */
export function checkedRoom(name: string): { kind: CheckedRoom; id: number } | null {
	const match = CHECKED.exec(name);
	if (!match || (match[3] && match[1] !== 'vote')) return null;
	return { kind: match[3] ? 'voteResults' : (match[1] as CheckedRoom), id: Number(match[2]) };
}
