/**
 * The meetings repository's rows as the services use them, each read once here (kysely's example: userRowToUser):
 * the meeting with its quorum rule, its agenda items, the list of speakers and the votes held in it.
 */
import type { AgendaRow, MeetingVoteRow, MeetingWithGroup, SpeakerWithName } from '../db/repositories/meeting.repository.js';
import type { Meeting, Speaker } from '../domain/meetings.js';
import { quorumFrom } from '../domain/votes.js';
import type { AgendaItemView, MeetingVoteRef, SpeakerView } from '../../src/lib/shared/meetings.js';
import type { VoteResult } from '../../src/lib/shared/votes.js';

export function meetingRowToMeeting(m: MeetingWithGroup): Meeting {
	return {
		id: m.id,
		title: m.title,
		description: m.description,
		startsAt: m.starts_at,
		endsAt: m.ends_at,
		place: m.place,
		onlineUrl: m.online_url,
		groupId: m.group_id,
		group: m.group_slug && m.group_name ? { slug: m.group_slug, name: m.group_name } : null,
		visibility: m.visibility,
		quorum: quorumFrom(m.quorum_kind, m.quorum_value),
		status: m.status,
		currentItemId: m.current_item_id,
		minutesDraftId: m.minutes_draft_id,
		minutesLocale: m.minutes_locale,
		minutesVoteId: m.minutes_vote_id
	};
}

/** An agenda item without its votes (the meeting's votes are read once and shared out by item). */
export type AgendaItem = Omit<AgendaItemView, 'votes'>;

export function agendaRowToItem(a: AgendaRow): AgendaItem {
	return {
		id: a.id,
		position: a.position,
		title: a.title,
		notes: a.notes,
		thread: a.thread_id !== null && a.thread_title !== null ? { id: a.thread_id, title: a.thread_title } : null,
		draft: a.draft_id !== null && a.draft_title !== null ? { id: a.draft_id, title: a.draft_title } : null,
		status: a.status
	};
}

export type MeetingVote = MeetingVoteRef & { itemId: number | null };

export function voteRowToRef(v: MeetingVoteRow): MeetingVote {
	return { id: v.id, title: v.title, method: v.method, status: v.status, secret: !!v.secret, outcome: v.result ? (JSON.parse(v.result) as VoteResult).outcome : null, itemId: v.agenda_item_id };
}

/** A speaker as the rules see them (position and status) and as the room shows them (name, since when). */
export function speakerRowToSpeaker(s: SpeakerWithName): Speaker & SpeakerView {
	return { id: s.id, userId: s.user_id, name: s.name, status: s.status as 'waiting' | 'speaking', position: s.position, startedAt: s.started_at };
}
