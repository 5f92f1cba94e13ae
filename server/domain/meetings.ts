/**
 * The rules of meetings, pure: who may see and chair one, what a new meeting needs, the quorum meter, and the list
 * of speakers (raise a hand, withdraw, the chair gives the floor, reorders, ends a speech).
 */
import { hasRole, isActiveMember, type Actor } from './permissions.js';
import { quorumOf, type Quorum } from './votes.js';

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

/** The chair's controls: its chairs, and coordinators (who run the network's meetings). */
export function canChair(actor: Actor | null, m: MeetingFacts): boolean {
	return isActiveMember(actor) && (m.chairs.includes(actor!.id) || hasRole(actor, 'coordinator'));
}

/** Coordinators call any meeting; a group's facilitators call their group's. */
export function canCallMeeting(actor: Actor | null, facilitatesGroup: boolean, groupId: number | null): boolean {
	return hasRole(actor, 'coordinator') || (isActiveMember(actor) && groupId !== null && facilitatesGroup);
}

export interface MeetingInput {
	title: string;
	description: string;
	startsAt: number | null;
	endsAt: number | null;
	place: string;
	onlineUrl: string;
	groupId: number | null;
	visibility: 'public' | 'members';
	quorum: Quorum;
	/** Agenda item titles, in order. */
	agenda: string[];
	/** Chairs besides the one calling the meeting. */
	chairIds: number[];
}

export const MAX_AGENDA_ITEMS = 40;

/** Field problems of a new meeting (message codes); empty when it can be called. */
export function meetingInputProblems(m: MeetingInput): Record<string, string> {
	const p: Record<string, string> = {};
	const title = m.title.trim();
	if (!title) p.title = 'required';
	else if (title.length > 200) p.title = 'too_long';
	if (m.description.length > 5000) p.description = 'too_long';
	if (m.startsAt === null) p.startsAt = 'required';
	if (m.endsAt === null) p.endsAt = 'required';
	else if (m.startsAt !== null && m.endsAt <= m.startsAt) p.endsAt = 'ends_before_starts';
	if (!m.place.trim() && !m.onlineUrl.trim()) p.place = 'place_or_link';
	if (m.place.length > 300) p.place = 'too_long';
	if (m.onlineUrl.trim() && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(m.onlineUrl.trim())) p.onlineUrl = 'invalid_url';
	const items = m.agenda.map((a) => a.trim()).filter(Boolean);
	if (items.length > MAX_AGENDA_ITEMS) p.agenda = 'too_many';
	else if (items.some((a) => a.length > 200)) p.agenda = 'too_long';
	if (m.quorum.kind === 'count' && !(Number.isInteger(m.quorum.count) && m.quorum.count >= 1 && m.quorum.count <= 100000)) p.quorum = 'invalid_quorum';
	if (m.quorum.kind === 'share' && !(m.quorum.share > 0 && m.quorum.share <= 1)) p.quorum = 'invalid_quorum';
	return p;
}

/** The quorum meter: the eligible present against the meeting's rule (a number, or a share of its members). */
export function quorumMeter(rule: Quorum, present: number, members: number): { present: number; members: number; needed: number; reached: boolean } {
	const { needed, reached } = quorumOf(rule, present, members);
	return { present, members, needed, reached };
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
