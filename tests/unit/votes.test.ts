import { describe, expect, it } from 'vitest';
import { ballotProblem, canSeeVote, instantRunoff, quorumOf, resultsShown, tally, voteInputProblems, VOTE_DEFAULTS, type Ballot, type VoteInput, type VoteRules } from '../../server/domain/votes.js';
import { newReceipt, organisationUnit, RECEIPT_PATTERN, unitParts, userUnit } from '../../src/lib/shared/votes.js';
import { voteInputIssues, voteInputSchema } from '../../src/lib/shared/vote-input.js';

const rules = (over: Partial<VoteRules> = {}): VoteRules => ({ method: 'yes_no', options: [], quorum: { kind: 'none' }, threshold: 'simple', ...over });
const yesNo = (yes: number, no: number, abstain = 0): Ballot[] => [
	...Array.from({ length: yes }, () => ({ method: 'yes_no' as const, choice: 'yes' as const })),
	...Array.from({ length: no }, () => ({ method: 'yes_no' as const, choice: 'no' as const })),
	...Array.from({ length: abstain }, () => ({ method: 'yes_no' as const, choice: 'abstain' as const }))
];
const times = (n: number, ranking: number[]) => Array.from({ length: n }, () => ranking);

describe('ballots', () => {
	it('accepts only what each method allows', () => {
		const approval = rules({ method: 'approval', options: [1, 2, 3], minApprovals: 1, maxApprovals: 2 });
		expect(ballotProblem(approval, { method: 'approval', options: [1, 3] })).toBeNull();
		expect(ballotProblem(approval, { method: 'approval', options: [] })).toBe('too_few');
		expect(ballotProblem(approval, { method: 'approval', options: [1, 2, 3] })).toBe('too_many');
		expect(ballotProblem(approval, { method: 'approval', options: [1, 1] })).toBe('invalid_choice');
		expect(ballotProblem(approval, { method: 'single', option: 1 })).toBe('wrong_method');
		const ranked = rules({ method: 'ranked', options: [1, 2, 3] });
		expect(ballotProblem(ranked, { method: 'ranked', ranking: [2, 1] })).toBeNull();
		expect(ballotProblem(ranked, { method: 'ranked', ranking: [2, 2] })).toBe('invalid_choice');
		expect(ballotProblem(ranked, { method: 'ranked', ranking: [9] })).toBe('invalid_choice');
		const score = rules({ method: 'score', options: [1, 2] });
		expect(ballotProblem(score, { method: 'score', scores: { 1: 5, 2: 0 } })).toBeNull();
		expect(ballotProblem(score, { method: 'score', scores: { 1: 6, 2: 0 } })).toBe('invalid_choice');
		expect(ballotProblem(score, { method: 'score', scores: { 1: 3 } })).toBe('incomplete');
		const consent = rules({ method: 'consent' });
		expect(ballotProblem(consent, { method: 'consent', choice: 'block' })).toBe('reason_required');
		expect(ballotProblem(consent, { method: 'consent', choice: 'object', reason: '  ' })).toBe('reason_required');
		expect(ballotProblem(consent, { method: 'consent', choice: 'block', reason: 'Kundër statutit' })).toBeNull();
	});
});

describe('yes / no / abstain with quorum and thresholds', () => {
	it('passes on a simple majority of votes cast; abstentions count for quorum, not for the majority', () => {
		expect(tally(rules(), yesNo(10, 9, 20), 40)).toMatchObject({ outcome: 'passed', reason: 'majority_of_cast', counts: { yes: 10, no: 9, abstain: 20 } });
		expect(tally(rules(), yesNo(9, 9), 40)).toMatchObject({ outcome: 'failed', reason: 'tie_is_rejection' });
		expect(tally(rules(), yesNo(0, 0, 5), 40)).toMatchObject({ outcome: 'no_votes', reason: 'only_abstentions' });
	});

	it('needs two thirds of yes and no for a two-thirds vote', () => {
		expect(tally(rules({ threshold: 'two_thirds' }), yesNo(20, 10), 40)).toMatchObject({ outcome: 'passed', reason: 'two_thirds_of_cast' });
		expect(tally(rules({ threshold: 'two_thirds' }), yesNo(19, 10), 40)).toMatchObject({ outcome: 'failed', reason: 'short_of_two_thirds' });
	});

	it('needs more than half of all eligible for an absolute majority', () => {
		expect(tally(rules({ threshold: 'absolute' }), yesNo(20, 0), 40)).toMatchObject({ outcome: 'failed', reason: 'short_of_majority_of_eligible' });
		expect(tally(rules({ threshold: 'absolute' }), yesNo(21, 0), 40)).toMatchObject({ outcome: 'passed', reason: 'majority_of_eligible' });
	});

	it('fails without quorum, counted as a number or a share of the eligible (or of those present)', () => {
		expect(quorumOf({ kind: 'share', share: 0.5 }, 14, 30)).toEqual({ reached: false, needed: 15 });
		expect(quorumOf({ kind: 'share', share: 1 / 3 }, 10, 30)).toEqual({ reached: true, needed: 10 });
		expect(tally(rules({ quorum: { kind: 'share', share: 0.5 } }), yesNo(14, 0), 30)).toMatchObject({ outcome: 'no_quorum', reason: 'quorum_not_reached', quorum: { needed: 15 } });
		expect(tally(rules({ quorum: { kind: 'count', count: 12 } }), yesNo(8, 4), 30)).toMatchObject({ outcome: 'passed' });
		// In a meeting, the share is of those present: 12 present, 7 voting reaches a half.
		expect(tally(rules({ quorum: { kind: 'share', share: 0.5 } }), yesNo(5, 2), 30, 12)).toMatchObject({ outcome: 'passed', quorum: { reached: true, needed: 6 } });
	});
});

describe('choices', () => {
	it('elects the most voted option, and says when the top is tied', () => {
		const single = rules({ method: 'single', options: [1, 2, 3] });
		const cast = (o: number) => ({ method: 'single' as const, option: o });
		expect(tally(single, [cast(1), cast(2), cast(2)], 5)).toMatchObject({ outcome: 'elected', winners: [2], counts: { 1: 1, 2: 2, 3: 0 } });
		expect(tally(single, [cast(1), cast(2)], 5)).toMatchObject({ outcome: 'tie', reason: 'tied_top', winners: [1, 2] });
		const approval = rules({ method: 'approval', options: [1, 2, 3], maxApprovals: 2 });
		expect(tally(approval, [{ method: 'approval', options: [1, 3] }, { method: 'approval', options: [3] }], 5)).toMatchObject({ winners: [3], counts: { 1: 1, 2: 0, 3: 2 } });
	});

	it('scores 0–5 by sum, with averages', () => {
		const score = rules({ method: 'score', options: [1, 2] });
		const r = tally(score, [{ method: 'score', scores: { 1: 5, 2: 3 } }, { method: 'score', scores: { 1: 2, 2: 5 } }, { method: 'score', scores: { 1: 4, 2: 4 } }], 3);
		expect(r).toMatchObject({ outcome: 'elected', reason: 'highest_score', winners: [2], counts: { 1: 11, 2: 12 }, averages: { 1: 3.67, 2: 4 } });
	});

	it('stops a consent decision at any block, and needs a reason to object', () => {
		const consent = rules({ method: 'consent' });
		const c = (choice: 'agree' | 'abstain' | 'object' | 'block') => ({ method: 'consent' as const, choice, reason: 'arsye' });
		expect(tally(consent, [c('agree'), c('agree'), c('object')], 5)).toMatchObject({ outcome: 'passed', reason: 'consent_with_objections' });
		expect(tally(consent, [c('agree'), c('agree'), c('agree'), c('block')], 5)).toMatchObject({ outcome: 'blocked', reason: 'block', counts: { block: 1 } });
	});
});

describe('ranked choice by instant-runoff', () => {
	it('works the Tennessee capital example: Knoxville wins in the third round', () => {
		const [M, N, C, K] = [1, 2, 3, 4];
		const rankings = [...times(42, [M, N, C, K]), ...times(26, [N, C, K, M]), ...times(15, [C, K, N, M]), ...times(17, [K, C, N, M])];
		const { rounds, winner } = instantRunoff([M, N, C, K], rankings);
		expect(winner).toBe(K);
		expect(rounds.map((r) => [r.counts, r.eliminated])).toEqual([
			[{ 1: 42, 2: 26, 3: 15, 4: 17 }, C],
			[{ 1: 42, 2: 26, 4: 32 }, N],
			[{ 1: 42, 4: 58 }, null]
		]);
		const result = tally(rules({ method: 'ranked', options: [M, N, C, K] }), rankings.map((ranking) => ({ method: 'ranked' as const, ranking })), 100);
		expect(result).toMatchObject({ outcome: 'elected', reason: 'runoff_majority', winners: [K] });
		expect(result.rounds).toHaveLength(3);
	});

	it('breaks a tie for elimination by first preferences, then earlier rounds, then ballot order', () => {
		// Round 2 ties 2 and 3 at three votes; 3 had fewer first preferences, so 3 goes.
		const byFirsts = instantRunoff([1, 2, 3, 4], [...times(4, [1]), ...times(3, [2]), ...times(2, [3, 2]), ...times(1, [4, 3])]);
		expect(byFirsts.rounds[1]).toMatchObject({ eliminated: 3, tieBreak: 'first_preferences' });
		expect(byFirsts.winner).toBe(2);
		// Everything equal: the option listed last is eliminated first; exhausted ballots no longer count.
		const byOrder = instantRunoff([1, 2, 3], [[1], [2], [3]]);
		expect(byOrder.rounds.map((r) => [r.eliminated, r.tieBreak, r.exhausted])).toEqual([
			[3, 'ballot_order', 0],
			[2, 'ballot_order', 1],
			[null, null, 2]
		]);
		expect(byOrder.winner).toBe(1);
		expect(instantRunoff([1, 2], []).winner).toBeNull();
	});
});

describe('who sees results when', () => {
	it("never shows a secret vote's choices while it is open, only participation", () => {
		expect(resultsShown({ visibility: 'live', secret: true, closed: false }, true)).toBe('participation');
		expect(resultsShown({ visibility: 'live', secret: false, closed: false }, false)).toBe('full');
		expect(resultsShown({ visibility: 'after_voting', secret: false, closed: false }, false)).toBe('participation');
		expect(resultsShown({ visibility: 'after_voting', secret: false, closed: false }, true)).toBe('full');
		expect(resultsShown({ visibility: 'after_close', secret: false, closed: false }, true)).toBe('participation');
		expect(resultsShown({ visibility: 'after_close', secret: true, closed: true }, false)).toBe('full');
	});
});

describe('approval', () => {
	it('counts every approved option and elects the most approved', () => {
		const r = rules({ method: 'approval', options: [1, 2, 3], minApprovals: 1, maxApprovals: 2 });
		const ballots: Ballot[] = [
			{ method: 'approval', options: [1, 2] },
			{ method: 'approval', options: [2] },
			{ method: 'approval', options: [2, 3] },
			{ method: 'approval', options: [1] }
		];
		expect(tally(r, ballots, 10)).toMatchObject({ outcome: 'elected', winners: [2], counts: { 1: 2, 2: 3, 3: 1 } });
		expect(ballotProblem(r, { method: 'approval', options: [1, 2, 3] })).toBe('too_many');
		expect(ballotProblem(r, { method: 'approval', options: [] })).toBe('too_few');
	});
});

describe('creating a vote', () => {
	const now = 1_000_000;
	const input = (over: Partial<VoteInput> = {}): VoteInput => ({ ...VOTE_DEFAULTS, title: 'Buxheti', method: 'single', options: ['A', 'B'], ...over });

	it('names each problem by field', () => {
		expect(voteInputProblems(input(), now)).toEqual({});
		expect(voteInputProblems(input({ title: ' ', options: ['A'] }), now)).toEqual({ title: 'required', options: 'too_few_options' });
		expect(voteInputProblems(input({ options: ['Po', 'po'] }), now)).toEqual({ options: 'duplicate_options' });
		expect(voteInputProblems(input({ method: 'approval', options: ['A', 'B'], minApprovals: 2, maxApprovals: 1 }), now)).toEqual({ approvals: 'invalid_range' });
		expect(voteInputProblems(input({ eligibility: 'group' }), now)).toEqual({ group: 'required' });
		expect(voteInputProblems(input({ quorum: { kind: 'share', share: 1.5 } }), now)).toEqual({ quorum: 'invalid_quorum' });
		expect(voteInputProblems(input({ opensAt: now + 10, closesAt: now + 5 }), now)).toEqual({ closesAt: 'closes_before_opens' });
		expect(voteInputProblems(input({ closesAt: now - 1 }), now)).toEqual({ closesAt: 'in_the_past' });
		// Yes/no and consent have no options to check.
		expect(voteInputProblems(input({ method: 'yes_no', options: [] }), now)).toEqual({});
	});

	// Who runs a vote (coordinators, a group's facilitators) is runsBusinessOf: tests/unit/permissions.test.ts.
	it('shows members-only votes to members', () => {
		const applicant = { id: 3, role: 'member' as const, status: 'applicant' as const };
		const network = { visibility: 'members' as const };
		expect(canSeeVote(null, network)).toBe(false);
		expect(canSeeVote(applicant, network)).toBe(false);
		expect(canSeeVote(null, { ...network, visibility: 'public' })).toBe(true);
	});
});

describe('receipts and voter units', () => {
	it('draws receipts from Crockford base32 only, in the one published pattern', () => {
		const receipts = Array.from({ length: 200 }, () => newReceipt());
		expect(receipts.every((r) => RECEIPT_PATTERN.test(r))).toBe(true);
		expect(receipts.join('')).not.toMatch(/[ILOU]/);
		expect(new Set(receipts).size).toBe(receipts.length);
		expect(RECEIPT_PATTERN.test('ABCD-EFGH-IJKL')).toBe(false);
		expect(RECEIPT_PATTERN.test('abcd-efgh-jkmn')).toBe(false);
	});

	it('names a member or an organisation as a unit, and reads it back', () => {
		expect(userUnit(12)).toBe('u:12');
		expect(organisationUnit(3)).toBe('o:3');
		expect(unitParts(userUnit(12))).toEqual({ kind: 'user', id: 12 });
		expect(unitParts(organisationUnit(3))).toEqual({ kind: 'organisation', id: 3 });
		expect(unitParts('x:1')).toBeNull();
		expect(unitParts('u:')).toBeNull();
	});
});

describe('the new-vote schema', () => {
	const now = 1_000_000;
	const input = (over: Partial<VoteInput> = {}): VoteInput => ({ ...VOTE_DEFAULTS, title: 'Buxheti', method: 'single', options: ['A', 'B'], ...over });

	it('carries the rules across fields as problems by field', () => {
		expect(voteInputSchema(now).safeParse(input()).success).toBe(true);
		expect(voteInputIssues(input(), now)).toEqual({});
		expect(voteInputIssues(input({ title: '', eligibility: 'group', closesAt: now - 1 }), now)).toEqual({ title: 'required', group: 'required', closesAt: 'in_the_past' });
	});

	it('refuses a field of the wrong shape', () => {
		expect(voteInputIssues({ ...input(), method: 'lottery' }, now)).toEqual({ method: 'invalid' });
		expect(voteInputIssues({ ...input(), quorum: { kind: 'count', count: 'ten' } }, now)).toEqual({ quorum: 'invalid' });
	});
});
