import type { DecisionChain } from '../../src/lib/shared/decision-chain.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { Authenticated } from './auth.service.js';
import type { DecisionsRegister } from './decisions.service.js';
import type { DraftsService } from './drafts.service.js';
import type { VoteReceipts } from './vote-receipts.service.js';
import type { VoteViews } from './vote-views.service.js';

/**
 * A decision's whole chain for its page, each link as far as the reader may see it (each part authorises on its own:
 * the register, the vote, the draft, the published ballots).
 */
export class DecisionChains {
	constructor(
		private readonly register: DecisionsRegister,
		private readonly views: VoteViews,
		private readonly receipts: VoteReceipts,
		private readonly drafts: DraftsService
	) {}

	async get(auth: Authenticated | null, id: number): Promise<DecisionChain> {
		const [decision] = Number.isSafeInteger(id) && id > 0 ? await this.register.entries(auth, { id, limit: 1 }) : [];
		if (!decision) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		const [vote, ballots] = await Promise.all([this.views.get(auth, decision.voteId), this.receipts.published(auth, decision.voteId)]);
		const draft = decision.draft ? await this.drafts.get(auth, decision.draft.id) : null;
		const amendments = draft ? (await this.drafts.amendments(auth, draft.id)).filter((a) => a.voteId === vote.id) : [];
		const adopted = amendments.find((a) => a.status === 'adopted');
		const decided = draft?.decidedBy?.voteId === vote.id && (draft.status === 'adopted' || draft.status === 'rejected') ? draft.status : null;
		return {
			decision,
			threadId: decision.threadId ?? draft?.threadId ?? null,
			vote,
			amendments,
			ballots,
			applied: decided ? { kind: 'draft', status: decided } : adopted ? { kind: 'amendment', id: adopted.id } : null
		};
	}
}
