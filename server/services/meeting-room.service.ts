import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/meeting.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import { nextPosition, nextSpeaker, positionAt, raiseHandProblem, roomActionRefusal, type Meeting, type Speaker } from '../domain/meetings.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { MeetingAction } from '../../src/lib/shared/meetings.js';
import type { Authenticated } from './auth.service.js';
import { agendaRowToItem, speakerRowToSpeaker, voteRowToRef } from './meeting-rows.js';
import type { MeetingRecord } from './meeting-record.service.js';
import type { VotesService } from './votes.service.js';

/** What one action's handler is given: who acts (a member, authorised by ROOM_ACTIONS), in which meeting, when. */
interface Acting {
	auth: Authenticated;
	me: number;
	m: Meeting;
	now: number;
}

type Handlers = { [K in MeetingAction['type']]: (a: Acting, action: Extract<MeetingAction, { type: K }>) => Promise<void> };

/**
 * The live room's buttons: each action is authorised by the domain's table (who may, in which state), then done by
 * its own small handler. The meetings service has checked that the actor may read the meeting and is a member.
 */
export class MeetingRoomService {
	constructor(
		private readonly db: Db,
		private readonly votes: VotesService,
		/** The meeting's log and the minutes written from it. */
		private readonly record: MeetingRecord,
		private readonly clock: () => number
	) {}

	async act(auth: Authenticated, m: Meeting, chair: boolean, action: MeetingAction): Promise<void> {
		const me = auth.actor.id;
		const refusal = roomActionRefusal(action, { chair, me }, m.status);
		if (refusal) throw new DomainError(refusal.code, refusal.reason);
		const handler = this.#handlers[action.type] as (a: Acting, action: MeetingAction) => Promise<void>;
		await handler({ auth, me, m, now: this.clock() }, action);
	}

	readonly #handlers: Handlers = {
		start: async ({ me, m, now }) => {
			await this.db.transaction().execute(async (trx) => {
				await repo.updateMeeting(trx, m.id, { status: 'live', started_at: now });
				const [first] = await repo.agendaOf(trx, m.id);
				await this.record.log(trx, m.id, 'opened', now);
				if (first && m.currentItemId === null) {
					await repo.updateMeeting(trx, m.id, { current_item_id: first.id });
					await repo.setItemStatus(trx, m.id, first.id, 'current');
					await this.record.log(trx, m.id, 'item_started', now, { itemId: first.id });
				}
				await insertAudit(trx, { actor_id: me, action: 'meeting.started', subject_type: 'meeting', subject_id: String(m.id), data: {}, created_at: now });
				await recordWebhookEvent(trx, 'meeting.changed', m.id, now);
			});
			await this.record.opened(m, now);
		},
		end: async ({ me, m, now }) => {
			await this.db.transaction().execute(async (trx) => {
				await repo.endSpeech(trx, m.id, now);
				await repo.updateMeeting(trx, m.id, { status: 'ended', ended_at: now });
				await this.record.log(trx, m.id, 'closed', now);
				await insertAudit(trx, { actor_id: me, action: 'meeting.ended', subject_type: 'meeting', subject_id: String(m.id), data: {}, created_at: now });
				await recordWebhookEvent(trx, 'meeting.changed', m.id, now);
			});
			await this.record.closed(m, now);
		},
		check_in: async ({ me, m, now }, action) => {
			const who = action.userId ?? me;
			if (!(await repo.activeMembers(this.db, [who])).length) throw new DomainError('invalid_input', 'not_member', { userId: 'not_member' });
			await this.db.transaction().execute(async (trx) => {
				if (await repo.checkIn(trx, m.id, who, me, now)) await this.record.log(trx, m.id, 'checked_in', now, { userId: who });
			});
		},
		check_out: async ({ me, m, now }, action) => {
			const who = action.userId ?? me;
			await this.db.transaction().execute(async (trx) => {
				if (await repo.checkOut(trx, m.id, who)) await this.record.log(trx, m.id, 'checked_out', now, { userId: who });
			});
		},
		raise_hand: async ({ me, m, now }) => {
			const queue = await this.#queue(m.id);
			const problem = raiseHandProblem(true, await repo.isCheckedIn(this.db, m.id, me), queue, me);
			if (problem) throw new DomainError('conflict', problem);
			await repo.insertSpeaker(this.db, { meeting_id: m.id, item_id: m.currentItemId, user_id: me, position: nextPosition(queue), requested_at: now }).catch((error: unknown) => {
				// Two raises at once: the unique index on open hands lets one through.
				if (String(error).includes('UNIQUE')) throw new DomainError('conflict', 'already_waiting');
				throw error;
			});
		},
		withdraw: async ({ me, m, now }) => {
			const mine = (await this.#queue(m.id)).find((s) => s.userId === me && s.status === 'waiting');
			if (!mine) throw new DomainError('conflict', 'not_waiting');
			await repo.setSpeaker(this.db, m.id, mine.id, { status: 'withdrawn', ended_at: now });
		},
		give_floor: async ({ m, now }, action) => {
			const queue = await this.#queue(m.id);
			const next = action.speakerId ? queue.find((s) => s.id === action.speakerId && s.status === 'waiting') : nextSpeaker(queue);
			if (!next) throw new DomainError('conflict', 'no_speaker');
			await this.db.transaction().execute(async (trx) => {
				await repo.endSpeech(trx, m.id, now);
				await repo.setSpeaker(trx, m.id, next.id, { status: 'speaking', started_at: now });
			});
		},
		end_speech: async ({ m, now }) => {
			await repo.endSpeech(this.db, m.id, now);
		},
		move_speaker: async ({ m }, action) => {
			const position = positionAt(await this.#queue(m.id), action.speakerId, action.index);
			if (position === null) throw new DomainError('not_found', 'no_speaker');
			await repo.setSpeaker(this.db, m.id, action.speakerId, { position });
		},
		remove_speaker: async ({ m, now }, action) => {
			if (!(await repo.setSpeaker(this.db, m.id, action.speakerId, { status: 'withdrawn', ended_at: now }))) throw new DomainError('not_found', 'no_speaker');
		},
		set_item: async ({ m, now }, action) => {
			await this.db.transaction().execute(async (trx) => {
				const agenda = await repo.agendaOf(trx, m.id);
				const item = agenda.find((a) => a.id === action.itemId);
				if (!item) throw new DomainError('not_found', 'no_item');
				if (item.status !== 'current') await this.record.log(trx, m.id, 'item_started', now, { itemId: item.id });
				for (const a of agenda) if (a.status === 'current' && a.id !== action.itemId) await repo.setItemStatus(trx, m.id, a.id, 'pending');
				await repo.setItemStatus(trx, m.id, action.itemId, 'current');
				await repo.updateMeeting(trx, m.id, { current_item_id: action.itemId });
			});
		},
		conclude_item: (acting, action) => this.#conclude(acting, action.itemId),
		// A vote put on the agenda to open later: an election whose candidates have stood, minutes put to the next meeting.
		open_vote: async ({ me, m }, action) => {
			await this.votes.openInMeeting(await this.#voteOf(m.id, action.voteId), me);
		},
		close_vote: async ({ me, m }, action) => {
			await this.votes.closeInMeeting(await this.#voteOf(m.id, action.voteId), me);
		}
	};

	/** A vote of this meeting (not found otherwise: a chair acts on their own meeting's votes only). */
	async #voteOf(meetingId: number, voteId: number): Promise<number> {
		const vote = (await repo.votesOfMeeting(this.db, meetingId)).find((v) => v.id === voteId);
		if (!vote) throw new DomainError('not_found', 'no_vote');
		return vote.id;
	}

	async #queue(meetingId: number): Promise<Speaker[]> {
		return (await repo.speakersOf(this.db, meetingId)).map(speakerRowToSpeaker);
	}

	/**
	 * Concludes an item: votes still open on it are closed, the item is done, the next pending item becomes current,
	 * and the minutes get the item's decisions and results.
	 */
	async #conclude({ auth, me, m }: Acting, itemId: number): Promise<void> {
		const agenda = (await repo.agendaOf(this.db, m.id)).map(agendaRowToItem);
		const item = agenda.find((a) => a.id === itemId);
		if (!item) throw new DomainError('not_found', 'no_item');
		if (item.status === 'done') throw new DomainError('conflict', 'item_done');
		const onItem = (await repo.votesOfMeeting(this.db, m.id)).map(voteRowToRef).filter((v) => v.itemId === itemId);
		for (const v of onItem) if (v.status === 'open') await this.votes.closeInMeeting(v.id, me);
		// The time the item is done is after its votes closed (as the minutes say).
		const now = this.clock();
		const next = agenda.find((a) => a.position > item.position && a.status === 'pending');
		await this.db.transaction().execute(async (trx) => {
			await repo.setItemStatus(trx, m.id, itemId, 'done', now);
			await this.record.log(trx, m.id, 'item_ended', now, { itemId });
			if (m.currentItemId === itemId) {
				await repo.updateMeeting(trx, m.id, { current_item_id: next?.id ?? null });
				if (next) {
					await repo.setItemStatus(trx, m.id, next.id, 'current');
					await this.record.log(trx, m.id, 'item_started', now, { itemId: next.id });
				}
			}
		});
		await this.record.concluded(auth, m, item, now);
	}
}
