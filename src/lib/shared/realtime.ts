import type { Locale } from './types.js';
import type { Ack } from './errors.js';
import type { PostView, ReactionView, ThreadSummary } from './forum.js';
import type { CastOutcome, CastRequest, VoteTally } from './votes.js';
import type { LiveState, MeetingAction } from './meetings.js';

/** Events the server sends to browsers over Socket.IO, declared once for both sides. */
export interface ServerToClientEvents {
	/** This session was ended elsewhere (sign-out everywhere, revoked from settings): the tab should leave. */
	'auth:signed-out': (payload: { reason: 'signed_out' | 'signed_out_everywhere' }) => void;
	/**
	 * What this member may read or do changed (a group, a facilitator's role, a role, a visibility): rooms they may no
	 * longer read were left, and the page loads its data again to show what they may do now.
	 */
	'access:changed': () => void;
	/** The member chose another language in another tab or device. */
	'me:locale': (payload: { locale: Locale }) => void;
	/** In a watched thread. Posts arrive in id order; a client keeps the highest id it has seen. */
	'post:created': (post: PostView) => void;
	'post:updated': (post: PostView) => void;
	'post:reactions': (payload: { threadId: number; postId: number; reactions: Omit<ReactionView, 'mine'>[] }) => void;
	/** Pinned, locked, archived, hidden or moved: watchers reload it (and are re-authorised). */
	'thread:changed': (payload: { threadId: number }) => void;
	/** New posts in a category the member watches (the forum index). */
	'category:activity': (payload: { categoryId: number; threadId: number; postId: number }) => void;
	/** A new thread in a category the member watches, as anyone who may read the space sees it. */
	'thread:created': (payload: { categoryId: number; thread: ThreadSummary }) => void;
	'notifications:count': (payload: { unread: number }) => void;
	/** A watched draft's status, versions, comments or amendments changed: the page reloads its data. */
	'draft:changed': (payload: { draftId: number }) => void;
	/**
	 * A watched vote's live figures, at most one per vote per 100 ms: participation for every watcher, `result` only
	 * for those the vote's rules let see it (never on a secret vote before closing).
	 */
	'vote:tally': (tally: VoteTally) => void;
	/** A watched vote closed: its final figures, to everyone watching. */
	'vote:closed': (tally: VoteTally) => void;
	/** A watched vote opened or was cancelled: the page reloads it. */
	'vote:changed': (payload: { voteId: number }) => void;
	/** A meeting's live room after a change (at most one per 50 ms per meeting). */
	'meeting:state': (state: LiveState) => void;
	/** The server is stopping to restart: writes are refused until it is back (the layout shows a banner). */
	'server:restarting': () => void;
}

/** Events browsers send; each is answered by an Ack. */
export interface ClientToServerEvents {
	/** Start receiving a thread's events; `afterId` returns what was missed since (after a reconnect). */
	'thread:watch': (payload: { threadId: number; afterId?: number }, ack: (res: Ack<{ missed: PostView[] }>) => void) => void;
	'thread:unwatch': (payload: { threadId: number }) => void;
	/** Start receiving activity of every category the member may read. */
	'forum:watch': (ack: (res: Ack<{ categories: number }>) => void) => void;
	/** Members matching `q` by name or email's local part, in Latin or Greek letters, for @mention autocomplete (ids and names only). */
	'members:suggest': (payload: { q: string }, ack: (res: Ack<{ members: { id: number; name: string }[] }>) => void) => void;
	/** Start receiving a draft's changes (the text itself travels over /yjs). */
	'draft:watch': (payload: { draftId: number }, ack: (res: Ack) => void) => void;
	'draft:unwatch': (payload: { draftId: number }) => void;
	/** Start receiving a vote's live figures; answers with the figures as this member may see them now. */
	'vote:watch': (payload: { voteId: number }, ack: (res: Ack<{ tally: VoteTally }>) => void) => void;
	'vote:unwatch': (payload: { voteId: number }) => void;
	/**
	 * Casts a ballot (`replace`: changes the one already cast; secret votes name it by `receipt` and the device's
	 * `changeKey`). A repeated cast is refused `conflict` / `already_voted` and never counted twice; a retry with the
	 * same `castId` gets the first answer back.
	 */
	'vote:cast': (
		payload: { voteId: number } & CastRequest,
		ack: (res: Ack<CastOutcome>) => void
	) => void;
	/**
	 * Enter a meeting's live room (shown as here while connected; `watchOnly`: receive it without being shown, as the
	 * projector does); answers with the room as it is.
	 */
	'meeting:join': (payload: { meetingId: number; watchOnly?: boolean }, ack: (res: Ack<{ state: LiveState }>) => void) => void;
	'meeting:leave': (payload: { meetingId: number }) => void;
	/** The room's controls: check in, hands, and the chair's (refused to others by the service). */
	'meeting:act': (payload: { meetingId: number; action: MeetingAction }, ack: (res: Ack) => void) => void;
}

/** Socket.IO close reasons the browser client understands. */
export const SOCKET_ERRORS = { unauthenticated: 'unauthenticated' } as const;

/** What a visitor's tab sends in its handshake: it follows public rooms without a session. */
export const VISITOR_HANDSHAKE = { visitor: true } as const;

export function isVisitorHandshake(auth: unknown): boolean {
	return typeof auth === 'object' && auth !== null && (auth as { visitor?: unknown }).visitor === true;
}

/**
 * Close codes of the Yjs endpoint (4000-4999 is the application range of RFC 6455). The y-websocket client gives
 * up on 4400-4499 (refusals) and reconnects on anything else.
 */
export const YJS_CLOSE = {
	unauthenticated: 4401,
	forbidden: 4403,
	not_found: 4404,
	malformed: 4400,
	/** The person's access to the document changed (e.g. a draft was frozen): reconnect to be admitted again. */
	access_changed: 4100,
	/** An update was refused for what it holds (reason: its UpdateProblem); sending it again would not help. */
	refused: 4422,
	/** The writer sent more than a member may in a minute: their update waits in their browser, sent on reconnect. */
	slow_down: 4129,
	/** The server is stopping to restart: changes not yet taken stay in the browser and are sent on reconnect. */
	restarting: 4503,
	/** The server could not store the last change (a full disk): it stays in the browser, sent again on reconnect. */
	not_saved: 4507,
	too_large: 1009,
	shutting_down: 1001
} as const;
