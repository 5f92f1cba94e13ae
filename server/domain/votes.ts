/**
 * The rules of votes, pure: a vote as services see it, its rules, and who may see what. No I/O; nothing here knows
 * who cast a ballot. The count itself (tallies, quorum, thresholds) and the checks the browser makes too (a ballot, a
 * new vote's input) are in src/lib/shared, where the browser recounts with the same code, and are re-exported here.
 */
import { isActiveMember, type Actor } from './permissions.js';
import type { Eligibility, Method, ResultsVisibility, Threshold, VoteOption, VoteResult, VoteStatus } from '../../src/lib/shared/votes.js';
import type { Quorum } from '../../src/lib/shared/vote-input.js';
import type { VoteRules } from '../../src/lib/shared/tally.js';
import type { ChambersSetting } from '../../src/lib/shared/chambers.js';

export type { Ballot, Method } from '../../src/lib/shared/votes.js';
export { ballotProblem } from '../../src/lib/shared/votes.js';
export type { Quorum, VoteInput } from '../../src/lib/shared/vote-input.js';
export { VOTE_DEFAULTS, voteInputProblems } from '../../src/lib/shared/vote-input.js';
export { instantRunoff, quorumFrom, quorumOf, quorumValue, tally, type VoteRules } from '../../src/lib/shared/tally.js';

/** A vote as the services work with it (server/db/repositories/vote.repository.ts `voteRowToVote`). */
export interface Vote {
	id: number;
	title: string;
	description: string;
	method: Method;
	options: VoteOption[];
	minApprovals: number | null;
	maxApprovals: number | null;
	eligibility: Eligibility;
	groupId: number | null;
	group: { slug: string; name: string } | null;
	visibility: 'public' | 'members';
	secret: boolean;
	results: ResultsVisibility;
	quorum: Quorum;
	threshold: Threshold;
	threadId: number | null;
	draftVersionId: number | null;
	amendmentId: number | null;
	meetingId: number | null;
	status: VoteStatus;
	opensAt: number | null;
	closesAt: number | null;
	openedAt: number | null;
	closedAt: number | null;
	/** The electorate's size, frozen at opening. */
	eligible: number;
	participants: number;
	/** The result it closed with. */
	result: VoteResult | null;
	/** Elections: the seats to fill (null for every other vote) and the seed of the lot, kept until the count. */
	seats: number | null;
	lotSeed: string | null;
	/** Two chambers: the organisations' chamber's rules (the members' are the vote's own); null for one chamber. */
	chambers: ChambersSetting | null;
}

/** The rules a vote's ballots are checked against and counted by. */
export function rulesOf(v: Vote): VoteRules {
	return {
		method: v.method,
		options: v.options.map((o) => o.id),
		minApprovals: v.minApprovals ?? undefined,
		maxApprovals: v.maxApprovals ?? undefined,
		quorum: v.quorum,
		threshold: v.threshold,
		...(v.seats !== null ? { seats: v.seats, lotSeed: v.lotSeed ?? '' } : {})
	};
}

/**
 * What a person may see of a vote's results now. A secret vote never shows choices while open, only how many took
 * part; after closing, its totals are public like any other.
 */
export function resultsShown(v: { visibility: ResultsVisibility; secret: boolean; closed: boolean }, hasVoted: boolean): 'full' | 'participation' {
	if (v.closed) return 'full';
	if (v.secret) return 'participation';
	if (v.visibility === 'live') return 'full';
	if (v.visibility === 'after_voting' && hasVoted) return 'full';
	return 'participation';
}

/** Public votes are seen by anyone; members' votes by active members. */
export function canSeeVote(actor: Actor | null, v: { visibility: 'public' | 'members' }): boolean {
	return v.visibility === 'public' || isActiveMember(actor);
}
