/**
 * Meeting DTOs, shared by the server and the pages; the schemas of what comes in are in meeting-schemas.ts. The
 * room's rules are in server/domain/meetings.ts.
 */
import type { Method, Outcome, VoteStatus } from './votes.js';

export type MeetingStatus = 'scheduled' | 'live' | 'ended';

export interface MeetingSummary {
	id: number;
	title: string;
	startsAt: number;
	endsAt: number;
	place: string;
	onlineUrl: string;
	group: { slug: string; name: string } | null;
	visibility: 'public' | 'members';
	status: MeetingStatus;
}

export interface MeetingVoteRef {
	id: number;
	title: string;
	method: Method;
	status: VoteStatus;
	secret: boolean;
	outcome: Outcome | null;
}

export interface AgendaItemView {
	id: number;
	position: number;
	title: string;
	notes: string;
	thread: { id: number; title: string } | null;
	draft: { id: number; title: string } | null;
	status: 'pending' | 'current' | 'done';
	votes: MeetingVoteRef[];
}

export interface MeetingView extends MeetingSummary {
	description: string;
	quorum: { kind: 'none' | 'count' | 'share'; value: number };
	chairs: { id: number; name: string }[];
	agenda: AgendaItemView[];
	minutesDraftId: number | null;
	/** The vote approving a version of the minutes, once they were put to approval. */
	minutesVoteId: number | null;
	currentItemId: number | null;
	/** Objections of closed consent rounds proposed as items (members only). */
	proposals: (AgendaProposalView & { mine: boolean })[];
	can: { chair: boolean };
}

/** An objection (or block) of a closed consent round, proposed as an item of the body's next meeting. */
export interface AgendaProposalView {
	id: number;
	voteId: number;
	voteTitle: string;
	threadId: number | null;
	kind: 'object' | 'block';
	reason: string;
	/** Who objected, on an open round (null on a secret one). */
	author: string | null;
	authorUnit: string | null;
	status: 'proposed' | 'accepted' | 'dropped' | 'withdrawn';
	/** The agenda item it became. */
	itemId: number | null;
	/** What the meeting concluded, in the minutes' language. */
	outcome: string | null;
}

export interface SpeakerView {
	id: number;
	userId: number;
	name: string;
	status: 'waiting' | 'speaking';
	startedAt: number | null;
}

/** The live room as everyone in it sees it; each person finds themselves by id. */
export interface LiveState {
	meetingId: number;
	status: MeetingStatus;
	currentItemId: number | null;
	/** Connected now, or checked in (or both). */
	people: { id: number; name: string; online: boolean; checkedIn: boolean; eligible: boolean }[];
	/** `present`: the eligible checked in; `represented`: absent members whose proxy holder is checked in. */
	quorum: { present: number; represented: number; members: number; needed: number; reached: boolean };
	/**
	 * The organisations' chamber in the room: the body's organisations, and those present (one of their
	 * representatives checked in), for votes of two chambers.
	 */
	organisations: { present: number; total: number };
	/**
	 * The proxies given for the whole meeting, giver and holder by name (members only, as the minutes name them): each
	 * member finds the one they gave, and those they hold. Revocable by the giver until the meeting ends.
	 */
	proxies: { id: number; giverId: number; giver: string; holderId: number; holder: string }[];
	speakers: SpeakerView[];
	/** Votes of the meeting (the room shows the current item's; each is watched over 'vote:watch'). */
	votes: (MeetingVoteRef & { itemId: number | null })[];
	/** The server's clock when this state was made (speaking timers). */
	at: number;
}

export const MAX_AGENDA_ITEMS = 40;

// The schemas of what comes in (a new meeting, an agenda item, the room's socket events) are in meeting-schemas.ts:
// building them runs zod at import, which would put zod (~21 KB brotli) into the live room; pages need only the types.
export type { AgendaItemInput, MeetingAction, MeetingInput } from './meeting-schemas.js';
