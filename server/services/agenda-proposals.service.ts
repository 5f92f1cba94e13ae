import type { Db } from '../db/client.js';
import * as rec from '../db/repositories/meeting-record.repository.js';
import { lastPosition } from '../db/repositories/meeting.repository.js';
import { ballotsOf, unitNames } from '../db/repositories/vote.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import { objectionsOf } from '../domain/meeting-record.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { userUnit } from '../../src/lib/shared/votes.js';
import type { AgendaProposalView } from '../../src/lib/shared/meetings.js';
import type { Locale } from '../../src/lib/shared/types.js';
import { m } from '../../src/lib/paraglide/messages.js';
import type { Authenticated } from './auth.service.js';

/**
 * Consent rounds that feed meetings (issue #18, point 4). When an online consent round closes, every objection and
 * block still standing (its author did not change the ballot before closing) becomes a proposed item of the body's
 * next meeting, with its reason; the reason then leaves the stored ballot, so the published ballots show choices
 * only (a reason beside a receipt could name a secret voter). The chair accepts a proposal onto the agenda or drops
 * it; the author of an open ballot may withdraw theirs.
 */
export class AgendaProposals {
	constructor(
		private readonly db: Db,
		private readonly clock: () => number
	) {}

	/**
	 * Moves a closed online consent round's objections to proposals, once: the claim on the round
	 * (claimObjections) is taken in the same transaction, so two nodes (or a node and the sweep) moving at once make
	 * one set. Returns how many proposals this call made (0 when another call already moved them, or none stood).
	 */
	async moveObjections(voteId: number): Promise<number> {
		const now = this.clock();
		return this.db.transaction().execute(async (trx) => {
			if (!(await rec.claimObjections(trx, voteId, now))) return 0;
			const round = (await rec.roundOf(trx, voteId))!;
			const ballots = await ballotsOf(trx, voteId);
			const { standing, stripped } = objectionsOf(ballots, !!round.secret);
			for (const b of stripped) await rec.rewriteBallot(trx, voteId, b.receipt, JSON.stringify(b.ballot));
			const next = await rec.nextMeetingOf(trx, round.group_id, now);
			await rec.insertProposals(
				trx,
				standing.map((o) => ({ vote_id: voteId, meeting_id: next?.id ?? null, kind: o.kind, reason: o.reason, author_unit: o.authorUnit, created_at: now }))
			);
			await insertAudit(trx, { actor_id: null, action: 'vote.objections_moved', subject_type: 'vote', subject_id: String(voteId), data: { proposals: standing.length, meetingId: next?.id ?? null }, created_at: now });
			return standing.length;
		});
	}

	/** Rounds closed while no node moved their objections (a node stopped in between): moved now. */
	async sweep(): Promise<void> {
		for (const id of await rec.roundsToMove(this.db)) await this.moveObjections(id);
	}

	/** A new meeting of a body takes the proposals that waited for one. */
	attachWaiting(meetingId: number, groupId: number | null): Promise<number> {
		return rec.attachWaiting(this.db, meetingId, groupId);
	}

	/** The proposals of a meeting, with their authors' names on open rounds. */
	list(meetingId: number): Promise<AgendaProposalView[]> {
		return rec.proposalsOf(this.db, meetingId).then((rows) => this.#views(rows));
	}

	/** What became of a round's objections: each with the meeting it went to (none while the body has none called). */
	async ofVote(voteId: number): Promise<(AgendaProposalView & { meeting: { id: number; title: string } | null })[]> {
		const rows = await rec.proposalsOfVote(this.db, voteId);
		const views = await this.#views(rows);
		return views.map((v, i) => ({ ...v, meeting: rows[i].meeting_id !== null && rows[i].meeting_title !== null ? { id: rows[i].meeting_id!, title: rows[i].meeting_title! } : null }));
	}

	async #views(rows: rec.ProposalRow[]): Promise<AgendaProposalView[]> {
		const names = await unitNames(this.db, rows.flatMap((r) => (r.author_unit ? [r.author_unit] : [])));
		return rows.map((r) => ({
			id: r.id,
			voteId: r.vote_id,
			voteTitle: r.vote_title,
			threadId: r.thread_id,
			kind: r.kind,
			reason: r.reason,
			author: r.author_unit ? (names.get(r.author_unit) ?? null) : null,
			authorUnit: r.author_unit,
			status: r.status,
			itemId: r.agenda_item_id,
			outcome: r.outcome
		}));
	}

	/**
	 * The chair's decision on a proposal of this meeting (authorised by the meetings service): accepted, it becomes
	 * the agenda's last item, titled in the minutes' language, its reason in the item's notes, carrying the round's
	 * thread. Two chairs deciding at once: one decision, the other is told.
	 */
	async decide(auth: Authenticated, meeting: { id: number; visibility: 'public' | 'members' }, proposalId: number, accept: boolean, locale: Locale): Promise<void> {
		const meetingId = meeting.id;
		const p = await rec.findProposal(this.db, proposalId);
		if (!p || p.meeting_id !== meetingId) throw new DomainError('not_found', 'no_proposal');
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			let itemId: number | null = null;
			if (accept) {
				// A members-only round's title and objection stay with members: a public meeting's agenda names the item
				// without them (members read both on the proposal).
				const hidden = meeting.visibility === 'public' && p.vote_visibility === 'members';
				const title = hidden ? m.rec_item_title_members_round({}, { locale }) : (p.kind === 'block' ? m.rec_item_title_block : m.rec_item_title_object)({ vote: p.vote_title }, { locale }).slice(0, 200);
				itemId = await rec.appendItem(trx, meetingId, { title, notes: hidden ? '' : p.reason, thread_id: p.thread_id }, (await lastPosition(trx, meetingId)) + 1);
				await recordWebhookEvent(trx, 'meeting.changed', meetingId, now);
			}
			const decided = await rec.decideProposal(trx, p.id, { status: accept ? 'accepted' : 'dropped', agenda_item_id: itemId, decided_at: now, decided_by: auth.actor.id });
			if (!decided) throw new DomainError('conflict', 'proposal_decided', { proposal: 'proposal_decided' });
			if (!accept) await rec.setOutcome(trx, p.id, m.rec_outcome_dropped({}, { locale }));
			await insertAudit(trx, { actor_id: auth.actor.id, action: accept ? 'meeting.proposal_accepted' : 'meeting.proposal_dropped', subject_type: 'meeting', subject_id: String(meetingId), data: { proposalId: p.id }, created_at: now });
		});
	}

	/** The author of an objection on an open round takes it back before the meeting decides on it. */
	async withdraw(auth: Authenticated, meetingId: number, proposalId: number): Promise<void> {
		const p = await rec.findProposal(this.db, proposalId);
		if (!p || p.meeting_id !== meetingId) throw new DomainError('not_found', 'no_proposal');
		if (p.author_unit !== userUnit(auth.actor.id)) throw new DomainError('forbidden', 'not_author');
		if (!(await rec.decideProposal(this.db, p.id, { status: 'withdrawn', decided_at: this.clock(), decided_by: auth.actor.id }))) throw new DomainError('conflict', 'proposal_decided', { proposal: 'proposal_decided' });
	}

	/** The proposal an agenda item came from, if any. */
	ofItem(itemId: number) {
		return rec.proposalOfItem(this.db, itemId);
	}

	setOutcome(proposalId: number, outcome: string): Promise<void> {
		return rec.setOutcome(this.db, proposalId, outcome);
	}
}
