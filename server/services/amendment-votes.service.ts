import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import { voteAmendments } from '../db/repositories/amendment-vote.repository.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { AmendmentProposal } from '../../src/lib/shared/drafts.js';
import { optionLabels, type VoteInput } from '../../src/lib/shared/vote-input.js';
import type { Authenticated } from './auth.service.js';
import type { DraftsService } from './drafts.service.js';
import { bodyDecidesDraft } from '../domain/drafts.js';

/** How a new vote hangs on an amendment: its link, and the options standing for each alternative (if several). */
export interface AmendmentLink {
	amendment_id: number;
	alternatives: { amendmentId: number; optionId: number }[];
}

/**
 * From amendment to adopted text: a vote on one amendment (passed: adopted), or on overlapping amendments of the same
 * passage as one vote between the alternatives (a single choice: option 1 keeps the text as it is, option k + 1 is
 * the k-th alternative, oldest first); and, as any vote closes, what its outcome changes: the amendments it decided,
 * the whole draft it adopted or rejected.
 */
export class AmendmentVotes {
	constructor(
		private readonly db: Db,
		private readonly drafts: DraftsService
	) {}

	/** The draft and alternatives of an amendment someone is about to put to a vote (they may read the draft). */
	async proposal(auth: Authenticated | null, amendmentId: number): Promise<AmendmentProposal> {
		const a = await repo.amendmentFor(this.db, amendmentId);
		if (!a) throw new DomainError('not_found');
		const draft = await this.drafts.get(auth, a.draft_id);
		const alternatives = await this.drafts.amendmentAlternatives(auth, a.draft_id, a.id);
		return { draftId: draft.id, draftTitle: draft.title, groupId: a.group_id, visibility: draft.visibility, alternatives };
	}

	/**
	 * Checks a new vote on an amendment: it must still be proposed and not outdated; with alternatives, the vote must
	 * be a single choice with one option more than there are alternatives (the text as it is comes first).
	 */
	async link(auth: Authenticated, amendmentId: number, input: VoteInput): Promise<AmendmentLink> {
		const a = await repo.amendmentFor(this.db, amendmentId);
		if (!a) throw new DomainError('invalid_input', 'amendment', { subject: 'not_found' });
		await this.drafts.get(auth, a.draft_id);
		if (!bodyDecidesDraft(input.groupId, a.group_id)) throw new DomainError('invalid_input', 'a draft of another body', { subject: 'other_body' });
		if (a.status !== 'proposed') throw new DomainError('conflict', 'amendment already decided');
		const alternatives = await this.drafts.amendmentAlternatives(auth, a.draft_id, a.id);
		if (alternatives.length === 1) return { amendment_id: a.id, alternatives: [] };
		if (input.method !== 'single' || optionLabels(input.options).length !== alternatives.length + 1) {
			throw new DomainError('invalid_input', 'alternatives', { options: 'amendment_alternatives' });
		}
		return { amendment_id: a.id, alternatives: alternatives.map((x, i) => ({ amendmentId: x.id, optionId: i + 2 })) };
	}

	/**
	 * What a closed vote's outcome changes: a vote on a whole version adopts or rejects the draft (DraftsService
	 * decideByVote); a vote on one amendment adopts it when passed and rejects it otherwise; a vote between
	 * alternatives adopts the one elected alone and rejects the others (all of them when the text as it is won, or on a
	 * tie or without quorum). Each change happens once, however many closes race (the guards are in the repositories).
	 */
	async decide(voteId: number): Promise<void> {
		const v = await repo.findVote(this.db, voteId);
		if (!v?.result) return;
		if (v.draftVersionId !== null) await this.drafts.decideByVote(v.id, v.draftVersionId, v.result.outcome);
		if (v.amendmentId === null) return;
		const between = await voteAmendments(this.db, v.id);
		if (!between.length) return this.drafts.decideAmendment(v.amendmentId, v.result.outcome === 'passed', v.id);
		const winner = v.result.outcome === 'elected' && v.result.winners.length === 1 ? v.result.winners[0] : null;
		for (const b of between) if (b.option_id !== winner) await this.drafts.decideAmendment(b.amendment_id, false, v.id);
		const chosen = between.find((b) => b.option_id === winner);
		if (chosen) await this.drafts.decideAmendment(chosen.amendment_id, true, v.id);
	}
}
