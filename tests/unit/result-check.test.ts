import { describe, expect, it } from 'vitest';
import { countVote } from '../../src/lib/shared/count.js';
import { checkResult, rulesFrom, type PublishedRules } from '../../src/lib/shared/result-check.js';
import type { Chamber } from '../../src/lib/shared/chambers.js';
import type { Ballot, PublishedBallot, VoteResult } from '../../src/lib/shared/votes.js';

// "Check this result" recounts the published ballots with the server's own count (count.ts). Each method: an honest
// result matches step by step; one changed ballot, or one changed published figure, is found, at the step it changes.

const vote = (over: Partial<PublishedRules> = {}): PublishedRules => ({
	method: 'yes_no',
	options: [],
	minApprovals: null,
	maxApprovals: null,
	quorum: { kind: 'none', value: 0 },
	threshold: 'simple',
	chambers: null,
	...over
});
let n = 0;
const published = (ballot: Ballot, chamber: Chamber | null = null): PublishedBallot => ({ receipt: `R${n++}`, ballot, voter: null, chamber });
/** What the server publishes at closing: the same count over the same ballots (server/services/votes.service.ts #close). */
function closeWith(v: PublishedRules, ballots: PublishedBallot[], eligible: number, chambers?: { organisations: number; members: number }, lotSeed = ''): VoteResult {
	const seed: VoteResult = { stv: lotSeed ? ({ seats: 2, lot: { seed: lotSeed } } as VoteResult['stv']) : undefined } as VoteResult;
	const { rules, setting } = rulesFrom(v, seed);
	// A JSON round trip, as the result is stored.
	return JSON.parse(JSON.stringify(countVote(rules, setting, ballots.map((b) => ({ ballot: b.ballot, chamber: b.chamber })), { total: eligible, organisations: chambers?.organisations ?? 0, members: chambers?.members ?? 0 })));
}
const options = (k: number) => Array.from({ length: k }, (_, i) => ({ id: i + 1 }));

describe('check this result', () => {
	it('yes/no: matches, and finds a changed ballot and a changed count', () => {
		const v = vote({ quorum: { kind: 'count', value: 3 } });
		const ballots = [published({ method: 'yes_no', choice: 'yes' }), published({ method: 'yes_no', choice: 'yes' }), published({ method: 'yes_no', choice: 'no' }), published({ method: 'yes_no', choice: 'abstain' })];
		const result = closeWith(v, ballots, 10);
		expect(result.outcome).toBe('passed');
		expect(checkResult(v, result, ballots)).toMatchObject({ matches: true, ballots: 4, outcome: 'passed', steps: [{ step: { kind: 'counts' }, matches: true }, { step: { kind: 'outcome' }, matches: true }] });
		const flipped = ballots.map((b, i) => (i === 0 ? { ...b, ballot: { method: 'yes_no', choice: 'no' } as Ballot } : b));
		const check = checkResult(v, result, flipped);
		expect(check.matches).toBe(false);
		expect(check.outcome).toBe('failed'); // 1 yes, 2 no
		expect(checkResult(v, { ...result, counts: { ...result.counts, yes: 3 } }, ballots).steps[0].matches).toBe(false);
	});

	it('consent: a block the published result left out is found', () => {
		const v = vote({ method: 'consent' });
		const ballots = [published({ method: 'consent', choice: 'agree' }), published({ method: 'consent', choice: 'object', reason: 'x' })];
		const result = closeWith(v, ballots, 5);
		expect(checkResult(v, result, ballots).matches).toBe(true);
		const blocked = [...ballots, published({ method: 'consent', choice: 'block', reason: 'y' })];
		expect(checkResult(v, result, blocked)).toMatchObject({ matches: false, outcome: 'blocked' });
	});

	it('single choice, approval and score: the counts and the winners', () => {
		const single = vote({ method: 'single', options: options(3) });
		const s = [published({ method: 'single', option: 2 }), published({ method: 'single', option: 2 }), published({ method: 'single', option: 1 })];
		expect(checkResult(single, closeWith(single, s, 9), s)).toMatchObject({ matches: true, winners: [2] });
		const approval = vote({ method: 'approval', options: options(3), minApprovals: 1, maxApprovals: 2 });
		const a = [published({ method: 'approval', options: [1, 3] }), published({ method: 'approval', options: [3] })];
		const ra = closeWith(approval, a, 9);
		expect(checkResult(approval, ra, a)).toMatchObject({ matches: true, winners: [3] });
		expect(checkResult(approval, { ...ra, winners: [1] }, a).steps.at(-1)).toEqual({ step: { kind: 'outcome' }, matches: false });
		const score = vote({ method: 'score', options: options(2) });
		const sc = [published({ method: 'score', scores: { 1: 5, 2: 1 } }), published({ method: 'score', scores: { 1: 0, 2: 3 } })];
		const rs = closeWith(score, sc, 9);
		expect(checkResult(score, rs, sc).matches).toBe(true);
		// The averages are published too, and checked.
		expect(checkResult(score, { ...rs, averages: { 1: 3, 2: 2 } }, sc).steps[0].matches).toBe(false);
	});

	it('instant-runoff: round by round, naming the first round that differs', () => {
		const v = vote({ method: 'ranked', options: options(3) });
		// Round 1: A 2, B 2, C 1 → C out; round 2: B 3 (C's ballot goes to B), A 2 → B wins.
		const ballots = [[1, 2], [1], [2], [2, 1], [3, 2]].map((ranking) => published({ method: 'ranked', ranking }));
		const result = closeWith(v, ballots, 5);
		const ok = checkResult(v, result, ballots);
		expect(ok).toMatchObject({ matches: true, winners: [2] });
		expect(ok.steps.map((s) => s.step)).toEqual([{ kind: 'round', n: 1 }, { kind: 'round', n: 2 }, { kind: 'outcome' }]);
		// C's voter had put A second: round 2 is a tie 3–2 for A instead, so round 2 and the outcome differ.
		const other = ballots.map((b, i) => (i === 4 ? { ...b, ballot: { method: 'ranked', ranking: [3, 1] } as Ballot } : b));
		const check = checkResult(v, result, other);
		expect(check.steps.map((s) => s.matches)).toEqual([true, false, false]);
		expect(check.winners).toEqual([1]);
	});

	it('STV: stage by stage, with the lot drawn from the published seed', () => {
		const v = vote({ method: 'ranked', options: options(4) });
		const ballots = [[1, 2], [1, 2], [1, 3], [2], [3, 4], [4, 3], [4], [1, 4]].map((ranking) => published({ method: 'ranked', ranking }));
		const result = closeWith(v, ballots, 8, undefined, 'seed-1');
		expect(result.stv?.stages.length).toBeGreaterThan(1);
		const ok = checkResult(v, result, ballots);
		expect(ok.matches).toBe(true);
		expect(ok.steps.filter((s) => s.step.kind === 'stage')).toHaveLength(result.stv!.stages.length);
		expect(checkResult(v, result, ballots.slice(1)).matches).toBe(false);
	});

	it('two chambers: each chamber on its own, the electorate of each as published', () => {
		const v = vote({ chambers: { organisations: { quorum: { kind: 'count', value: 2 }, threshold: 'two_thirds' } } });
		const ballots = [
			published({ method: 'yes_no', choice: 'yes' }, 'organisations'),
			published({ method: 'yes_no', choice: 'yes' }, 'organisations'),
			published({ method: 'yes_no', choice: 'no' }, 'organisations'),
			published({ method: 'yes_no', choice: 'yes' }, 'members'),
			published({ method: 'yes_no', choice: 'no' }, 'members')
		];
		// Organisations 2 of 3 (two thirds: passed); members 1–1 (a tie rejects).
		const result = closeWith(v, ballots, 9, { organisations: 3, members: 6 });
		expect(result).toMatchObject({ outcome: 'failed', reason: 'chamber_members_not' });
		const ok = checkResult(v, result, ballots);
		expect(ok.matches).toBe(true);
		expect(ok.steps.map((s) => s.step)).toEqual([{ kind: 'chamber', chamber: 'organisations' }, { kind: 'chamber', chamber: 'members' }, { kind: 'outcome' }]);
		// A ballot counted in the wrong chamber is found in both chambers, though the outcome (failed among the
		// members) and the combined figures happen to stay the same.
		const moved = ballots.map((b, i) => (i === 2 ? { ...b, chamber: 'members' as const } : b));
		expect(checkResult(v, result, moved)).toMatchObject({ matches: false, outcome: 'failed' });
		expect(checkResult(v, result, moved).steps.map((s) => s.matches)).toEqual([false, false, true]);
	});
});
