/**
 * The rules of meetings, pure: who may see and chair one, who may do what in the live room, the quorum meter, and
 * the list of speakers (raise a hand, withdraw, the chair gives the floor, reorders, ends a speech). What a new
 * meeting needs is its schema in src/lib/shared/meetings.ts, shared with the form.
 */
import type { LiveState, MeetingAction, MeetingStatus } from '../../src/lib/shared/meetings.js';
import type { Locale } from '../../src/lib/shared/types.js';
import { hasRole, isActiveMember, type Actor } from './permissions.js';
import { quorumOf, type Quorum } from './votes.js';

/** A meeting as the services work with it (from its row by `meetingRowToMeeting`, quorum already read). */
export interface Meeting {
	id: number;
	title: string;
	description: string;
	startsAt: number;
	endsAt: number;
	place: string;
	onlineUrl: string;
	groupId: number | null;
	group: { slug: string; name: string } | null;
	visibility: 'public' | 'members';
	quorum: Quorum;
	status: MeetingStatus;
	currentItemId: number | null;
	minutesDraftId: number | null;
	/** The language the minutes are written in. */
	minutesLocale: Locale;
	/** The vote approving a version of the minutes, once they were put to approval. */
	minutesVoteId: number | null;
}

export interface MeetingFacts {
	visibility: 'public' | 'members';
	/** Chairs of this meeting. */
	chairs: number[];
	/** Facilitators of the meeting's group (none for a network meeting). */
	facilitators: number[];
}

export function canSeeMeeting(actor: Actor | null, m: Pick<MeetingFacts, 'visibility'>): boolean {
	return m.visibility === 'public' || isActiveMember(actor);
}

/**
 * The room as a visitor follows it (a public meeting's projector): the agenda, the floor and the figures that the
 * wall shows anyone in the hall, but not the list of who is connected or checked in, nor who holds whose proxy: those
 * are for members.
 */
export function roomForVisitors(state: LiveState): LiveState {
	return { ...state, people: [], proxies: [] };
}

/**
 * The chair's controls: its chairs, the facilitators of its group (who run their group's business, and lose the
 * controls with the role), and coordinators (who run the network's meetings).
 */
export function canChair(actor: Actor | null, m: MeetingFacts): boolean {
	return isActiveMember(actor) && (m.chairs.includes(actor!.id) || m.facilitators.includes(actor!.id) || hasRole(actor, 'coordinator'));
}

/**
 * Who takes part in a live room (shown as here, checks in, raises a hand): active members. Anyone else who may see
 * the meeting (an applicant, a public meeting's visitor) only follows it.
 */
export function canTakePart(actor: Actor | null): boolean {
	return isActiveMember(actor);
}

/** The quorum meter: the eligible present against the meeting's rule (a number, or a share of its members). */
export function quorumMeter(rule: Quorum, present: number, members: number): { present: number; members: number; needed: number; reached: boolean } {
	const { needed, reached } = quorumOf(rule, present, members);
	return { present, members, needed, reached };
}

/**
 * Who may take each of the room's actions, and the state the meeting must be in (like drafts' TRANSITIONS). Everyone
 * acting is an active member; `chair`: only its chairs; `self`: a member for themselves, a chair for anyone; `member`:
 * any member, on their own hand.
 */
export const ROOM_ACTIONS: Record<MeetingAction['type'], { who: 'chair' | 'self' | 'member'; needs?: 'scheduled' | 'live' | 'not_ended' }> = {
	start: { who: 'chair', needs: 'scheduled' },
	end: { who: 'chair', needs: 'live' },
	check_in: { who: 'self', needs: 'not_ended' },
	check_out: { who: 'self' },
	raise_hand: { who: 'member', needs: 'live' },
	withdraw: { who: 'member' },
	give_floor: { who: 'chair', needs: 'live' },
	end_speech: { who: 'chair' },
	move_speaker: { who: 'chair' },
	remove_speaker: { who: 'chair' },
	set_item: { who: 'chair', needs: 'live' },
	conclude_item: { who: 'chair', needs: 'live' },
	open_vote: { who: 'chair', needs: 'live' },
	close_vote: { who: 'chair' }
};

const NEEDS_REFUSAL = { scheduled: 'meeting_not_scheduled', live: 'meeting_not_live', not_ended: 'meeting_ended' } as const;

/**
 * Why this member may not take this action now (or null), by the table: first who they are, then the meeting's state.
 * `chair`: they chair this meeting; `me`: their id.
 */
export function roomActionRefusal(action: MeetingAction, who: { chair: boolean; me: number }, status: MeetingStatus): { code: 'forbidden' | 'conflict'; reason: string } | null {
	const rule = ROOM_ACTIONS[action.type];
	const forSelf = !('userId' in action) || action.userId === undefined || action.userId === who.me;
	if (!who.chair && (rule.who === 'chair' || (rule.who === 'self' && !forSelf))) return { code: 'forbidden', reason: 'not_chair' };
	const met = rule.needs === undefined || (rule.needs === 'not_ended' ? status !== 'ended' : status === rule.needs);
	return met ? null : { code: 'conflict', reason: NEEDS_REFUSAL[rule.needs!] };
}

export type SpeakerStatus = 'waiting' | 'speaking' | 'done' | 'withdrawn';

export interface Speaker {
	id: number;
	userId: number;
	status: SpeakerStatus;
	position: number;
}

/** Why someone may not raise a hand now (or null): the meeting must be live, and one open hand each. */
export function raiseHandProblem(live: boolean, present: boolean, queue: Speaker[], userId: number): string | null {
	if (!live) return 'meeting_not_live';
	if (!present) return 'not_checked_in';
	if (queue.some((s) => s.userId === userId && (s.status === 'waiting' || s.status === 'speaking'))) return 'already_waiting';
	return null;
}

/** The position a new hand takes: after everyone waiting. */
export function nextPosition(queue: Speaker[]): number {
	return queue.reduce((max, s) => Math.max(max, s.position), 0) + 1;
}

/**
 * Where a waiting speaker goes when the chair moves them to `index` among those waiting (0 = next): a position between
 * its new neighbours, so nobody else's row changes.
 */
export function positionAt(queue: Speaker[], speakerId: number, index: number): number | null {
	const waiting = queue.filter((s) => s.status === 'waiting').sort((a, b) => a.position - b.position);
	const moving = waiting.find((s) => s.id === speakerId);
	if (!moving) return null;
	const others = waiting.filter((s) => s.id !== speakerId);
	const at = Math.max(0, Math.min(index, others.length));
	const before = at > 0 ? others[at - 1].position : null;
	const after = at < others.length ? others[at].position : null;
	if (before === null && after === null) return moving.position;
	if (before === null) return after! - 1;
	if (after === null) return before + 1;
	return (before + after) / 2;
}

/** The next speaker the chair gives the floor to by default: the first waiting. */
export function nextSpeaker(queue: Speaker[]): Speaker | null {
	return queue.filter((s) => s.status === 'waiting').sort((a, b) => a.position - b.position)[0] ?? null;
}
