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
	meeting: (id: number) => `meeting:${id}`
};
