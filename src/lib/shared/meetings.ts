/** Meeting DTOs shared by the server and the pages (the rules are in server/domain/meetings.ts). */
import { z } from 'zod';
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
	currentItemId: number | null;
	can: { chair: boolean };
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
	quorum: { present: number; members: number; needed: number; reached: boolean };
	speakers: SpeakerView[];
	/** Votes of the meeting (the room shows the current item's; each is watched over 'vote:watch'). */
	votes: (MeetingVoteRef & { itemId: number | null })[];
	/** The server's clock when this state was made (speaking timers). */
	at: number;
}

const id = z.number().int().positive();

/** What the live room's controls send (one socket event, 'meeting:act'); the service authorises each. */
export const meetingActionSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('start') }),
	z.object({ type: z.literal('end') }),
	z.object({ type: z.literal('check_in'), userId: id.optional() }),
	z.object({ type: z.literal('check_out'), userId: id.optional() }),
	z.object({ type: z.literal('raise_hand') }),
	z.object({ type: z.literal('withdraw') }),
	z.object({ type: z.literal('give_floor'), speakerId: id.optional() }),
	z.object({ type: z.literal('end_speech') }),
	z.object({ type: z.literal('move_speaker'), speakerId: id, index: z.number().int().min(0).max(1000) }),
	z.object({ type: z.literal('remove_speaker'), speakerId: id }),
	z.object({ type: z.literal('set_item'), itemId: id }),
	z.object({ type: z.literal('conclude_item'), itemId: id }),
	z.object({ type: z.literal('close_vote'), voteId: id })
]);

export type MeetingAction = z.infer<typeof meetingActionSchema>;
