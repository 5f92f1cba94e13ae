import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/draft.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import { draftMoveEvent } from '../domain/webhooks.js';
import type { EventBus } from '../events/bus.js';
import type { Outcome } from '../../src/lib/shared/votes.js';
import { docNameOf } from './drafts.service.js';

/** A draft's moves that no steward makes through its lifecycle: a vote's outcome, and a freeze taken back. */
export class DraftOutcomes {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly clock: () => number,
		private readonly docNames: (draftId: number) => Promise<string[]>
	) {}

	/**
	 * Takes back a freeze whose vote could not be made (MinutesApproval): from frozen to the status it had, open to
	 * changes again, its editors re-admitted. The lifecycle's own step back from frozen is to review; this also
	 * restores drafting. The version the freeze saved stays in the history. False if it is frozen no more.
	 */
	async unfreeze(id: number, to: 'drafting' | 'review'): Promise<boolean> {
		if (!(await repo.moveDraftStatus(this.db, id, 'frozen', to, this.clock()))) return false;
		this.bus.emit('draft.changed', { draftId: id });
		this.bus.emit('draft.status_changed', { draftId: id, to });
		for (const name of await this.docNames(id)) this.bus.emit('document.access_changed', { name });
		return true;
	}

	/**
	 * The outcome of a vote on a whole version (called by VotesService as the vote closes): passed adopts the draft,
	 * failed or blocked rejects it; without quorum or votes it stays frozen. Only a frozen draft, only by a vote on its
	 * latest version (an amendment adopted since made a newer text), and once: of two votes closing at once, the
	 * first moves it (repo.decideDraft), and the audit trail says which vote did. Returns the status it moved to, or null.
	 */
	async decideByVote(voteId: number, versionId: number, outcome: Outcome): Promise<'adopted' | 'rejected' | null> {
		const to = outcome === 'passed' ? 'adopted' : outcome === 'failed' || outcome === 'blocked' ? 'rejected' : null;
		const version = await repo.versionById(this.db, versionId);
		if (!to || !version || (await repo.latestVersion(this.db, version.draft_id))?.id !== version.id) return null;
		const now = this.clock();
		const moved = await this.db.transaction().execute(async (trx) => {
			if (!(await repo.decideDraft(trx, version.draft_id, voteId, to, now))) return false;
			const announced = draftMoveEvent(to);
			if (announced) await recordWebhookEvent(trx, announced, version.draft_id, now);
			// Nobody did it but the vote: no actor, the vote named, never a ballot or a count of choices.
			await insertAudit(trx, { actor_id: null, action: to === 'adopted' ? 'draft.adopted' : 'draft.rejected', subject_type: 'draft', subject_id: String(version.draft_id), data: { voteId }, created_at: now });
			return true;
		});
		if (!moved) return null;
		this.bus.emit('draft.changed', { draftId: version.draft_id });
		this.bus.emit('draft.status_changed', { draftId: version.draft_id, to });
		this.bus.emit('document.access_changed', { name: docNameOf(version.draft_id) });
		return to;
	}
}
