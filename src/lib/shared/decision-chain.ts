/**
 * A decision's whole chain, as its page shows it: the debate → the draft version (its hash) → the amendments → the
 * vote's rules and electorate per chamber → the published ballots → the result → the change it applied.
 */
import type { AmendmentView, DraftStatus } from './drafts.js';
import type { DecisionView, PublishedBallot, VoteView } from './votes.js';

export interface DecisionChain {
	decision: DecisionView;
	/** The debate: the thread the vote hung on, or the draft's own. */
	threadId: number | null;
	vote: VoteView;
	/** The amendments the vote decided (one, or the alternatives between which it chose). */
	amendments: AmendmentView[];
	/** After closing: every receipt with its ballot (voters named on open votes only). */
	ballots: PublishedBallot[];
	/**
	 * What it changed: the whole draft adopted or rejected by this vote; an amendment adopted and applied to the text;
	 * or nothing (the text stayed as it was).
	 */
	applied: { kind: 'draft'; status: Extract<DraftStatus, 'adopted' | 'rejected'> } | { kind: 'amendment'; id: number } | null;
}
