import type { Db } from '../db/client.js';
import * as rec from '../db/repositories/meeting-record.repository.js';
import { lastPosition } from '../db/repositories/meeting.repository.js';
import { latestVersion } from '../db/repositories/draft.repository.js';
import { findVote, setVoteStatus } from '../db/repositories/vote.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import type { Meeting } from '../domain/meetings.js';
import { VOTE_DEFAULTS } from '../domain/votes.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { m as msg } from '../../src/lib/paraglide/messages.js';
import type { Authenticated } from './auth.service.js';
import type { DraftsService } from './drafts.service.js';
import type { VotesService } from './votes.service.js';
import type { MeetingRecord } from './meeting-record.service.js';

/** A put's claim left this long (its node stopped midway) may be taken by another: a put takes a few seconds. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

/**
 * "Put the minutes to approval", one action of a chair (authorised by the meetings service): the minutes are frozen
 * as a version (its hash is what the ballot shows) and a yes/no vote of the body on that version is held now, in the
 * live meeting, or as the first item of the body's next meeting. Passed, the minutes are adopted: frozen for good,
 * their decision in the register with the version's hash. A put whose vote cannot be made takes itself back: no
 * approval item, and the minutes open to changes as they were.
 */
export class MinutesApproval {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly votes: VotesService,
		private readonly drafts: DraftsService,
		private readonly record: MeetingRecord,
		private readonly logger: Logger,
		private readonly clock: () => number
	) {}

	async put(auth: Authenticated, m: Meeting, when: 'now' | 'next'): Promise<number> {
		if (m.minutesDraftId === null) throw new DomainError('not_found', 'no_minutes');
		if (m.minutesVoteId !== null) throw new DomainError('conflict', 'minutes_already_put', { when: 'minutes_already_put' });
		if (when === 'now' && m.status !== 'live') throw new DomainError('conflict', 'meeting_not_live', { when: 'meeting_not_live' });
		const next = when === 'next' ? await rec.nextMeetingOf(this.db, m.groupId, this.clock(), m.id) : undefined;
		if (when === 'next' && !next) throw new DomainError('conflict', 'no_next_meeting', { when: 'no_next_meeting' });
		const draftId = m.minutesDraftId;
		const draft = await this.drafts.get(auth, draftId);
		// Putting freezes the minutes: frozen already (or decided), they are the text of another vote, or held for one
		// by a steward, and no chair may put them to this one (nor, frozen, skip the stewards' check below).
		if (draft.status !== 'drafting' && draft.status !== 'review') throw new DomainError('conflict', 'minutes_frozen', { when: 'minutes_frozen' });
		// The minutes' stewards freeze them (who called the meeting, a facilitator of its group, a coordinator).
		if (!draft.transitions.includes('frozen')) throw new DomainError('forbidden', 'not_minutes_steward');
		// Two chairs at once: one claims the put, the other is told it is done, before either writes or freezes anything
		// (both wrote who was there into the minutes, and both could add the approval item).
		const claimedAt = this.clock();
		if (!(await rec.claimMinutes(this.db, m.id, claimedAt, claimedAt - STALE_CLAIM_MS))) throw new DomainError('conflict', 'minutes_already_put', { when: 'minutes_already_put' });
		try {
			return await this.#put(auth, m, { id: draftId, was: draft.status }, next, when);
		} catch (error) {
			await rec.releaseMinutes(this.db, m.id, claimedAt);
			throw error;
		}
	}

	async #put(auth: Authenticated, m: Meeting, minutes: { id: number; was: 'drafting' | 'review' }, next: { id: number } | undefined, when: 'now' | 'next'): Promise<number> {
		// In the live meeting, the minutes first say who is there and what was decided so far (the rest is in the log).
		if (when === 'now') await this.record.sofar(m, this.clock());
		// Freezing saves the version the vote is on (the text cannot change under the ballot).
		await this.drafts.setStatus(auth, minutes.id, 'frozen');
		const held = next ?? m;
		let scheduled: { voteId: number; version: number };
		try {
			scheduled = await this.#scheduleVote(auth, m, minutes.id, held, !next);
		} catch (error) {
			// No vote holds the minutes: frozen for none, nobody could change them nor put them again. They are opened
			// as they were, and the chair is told the put failed.
			this.logger.error('the vote on the minutes could not be made: the put is taken back', { meetingId: m.id, error });
			await this.drafts.unfreeze(minutes.id, minutes.was);
			throw new DomainError('internal', 'minutes_not_put', { when: 'minutes_not_put' });
		}
		const { voteId, version } = scheduled;
		const now = this.clock();
		// A claim taken over as stale while its put still ran: the first vote stands, the second is cancelled (or, opened
		// meanwhile, closed with nobody).
		if (!(await rec.setMinutesVote(this.db, m.id, voteId))) {
			if (!(await setVoteStatus(this.db, voteId, 'scheduled', 'cancelled', now))) await this.votes.closeInMeeting(voteId, auth.actor.id);
			throw new DomainError('conflict', 'minutes_already_put', { when: 'minutes_already_put' });
		}
		await insertAudit(this.db, { actor_id: auth.actor.id, action: 'meeting.minutes_put', subject_type: 'meeting', subject_id: String(m.id), data: { voteId, version, when }, created_at: now });
		// Opened once it holds the minutes: a failure to open leaves a scheduled vote the chair opens in the room.
		if (when === 'now') await this.votes.openInMeeting(voteId, auth.actor.id);
		if (next) this.bus.emit('meeting.changed', { meetingId: next.id });
		return voteId;
	}

	/**
	 * The approval item on `held`'s agenda (the live meeting's last, or the next meeting's first) and its vote on the
	 * frozen version, scheduled; or neither: an item whose vote could not be made is taken back.
	 */
	async #scheduleVote(auth: Authenticated, m: Meeting, draftId: number, held: { id: number }, last: boolean): Promise<{ voteId: number; version: number }> {
		const version = (await latestVersion(this.db, draftId))!;
		const locale = m.minutesLocale;
		const item = { title: msg.rec_minutes_item_title({ title: m.title }, { locale }).slice(0, 200), notes: '', thread_id: null, draft_id: draftId };
		const itemId = await this.db.transaction().execute(async (trx) => {
			await recordWebhookEvent(trx, 'meeting.changed', held.id, this.clock());
			if (last) return rec.appendItem(trx, held.id, item, (await lastPosition(trx, held.id)) + 1);
			await rec.shiftItems(trx, held.id);
			return rec.appendItem(trx, held.id, item, 1);
		});
		const input = {
			...VOTE_DEFAULTS,
			method: 'yes_no' as const,
			title: msg.rec_minutes_vote_title({ title: m.title, number: version.number, hash: version.hash.slice(0, 12) }, { locale }).slice(0, 200),
			description: msg.rec_minutes_vote_description({ hash: version.hash }, { locale })
		};
		try {
			const voteId = await this.votes.createInMeeting(auth, input, { id: held.id, itemId, groupId: m.groupId, visibility: m.visibility }, { draftId, versionNumber: version.number, again: true }, {}, false);
			return { voteId, version: version.number };
		} catch (error) {
			await this.db.transaction().execute(async (trx) => {
				await rec.removeItem(trx, held.id, itemId);
				await recordWebhookEvent(trx, 'meeting.changed', held.id, this.clock());
			});
			throw error;
		}
	}

	/** A vote closed: if it approved minutes, they are adopted (once: from frozen only). */
	async closed(voteId: number): Promise<void> {
		const meeting = await rec.meetingOfMinutesVote(this.db, voteId);
		if (!meeting?.minutes_draft_id) return;
		const vote = await findVote(this.db, voteId);
		if (vote?.result?.outcome !== 'passed' || vote.draftVersionId === null) return;
		// As any vote on a whole version adopts its draft: recorded as the vote that did, in the audit trail too.
		await this.drafts.decideByVote(voteId, vote.draftVersionId, 'passed');
	}
}
