import { describe, expect, it } from 'vitest';
import { combineChambers, countVote } from '../../src/lib/shared/count.js';
import { tally, voteInputProblems, VOTE_DEFAULTS, type VoteInput, type VoteRules } from '../../server/domain/votes.js';
import type { Chamber, ChambersSetting, CountedBallot } from '../../src/lib/shared/chambers.js';
import type { ConsentChoice, YesNo } from '../../src/lib/shared/votes.js';

const rules = (over: Partial<VoteRules> = {}): VoteRules => ({ method: 'yes_no', options: [], quorum: { kind: 'none' }, threshold: 'simple', ...over });
const setting = (over: Partial<ChambersSetting['organisations']> = {}): ChambersSetting => ({ organisations: { quorum: { kind: 'none' }, threshold: 'simple', ...over } });
/** `n` yes/no ballots with `choice` in `chamber`. */
const cast = (chamber: Chamber, choice: YesNo, n: number): CountedBallot[] => Array.from({ length: n }, () => ({ chamber, ballot: { method: 'yes_no', choice } }));
const consent = (chamber: Chamber, choice: ConsentChoice, n: number): CountedBallot[] =>
	Array.from({ length: n }, () => ({ chamber, ballot: { method: 'consent', choice, reason: choice === 'block' || choice === 'object' ? 'arsye' : undefined } }));
/** 8 organisations and 40 members may vote. */
const electorate = { total: 48, organisations: 8, members: 40 };

describe('double majority (two chambers)', () => {
	// Worked example 1: the charter. Organisations 5 yes, 2 no (5 > 2); members 22 yes, 11 no, 3 abstain (22 > 11):
	// passed in both chambers, so passed.
	it('passes only when it passes in both chambers', () => {
		const ballots = [...cast('organisations', 'yes', 5), ...cast('organisations', 'no', 2), ...cast('members', 'yes', 22), ...cast('members', 'no', 11), ...cast('members', 'abstain', 3)];
		const r = countVote(rules(), setting(), ballots, electorate);
		expect(r).toMatchObject({ outcome: 'passed', reason: 'chambers_both', participants: 43, eligible: 48, counts: { yes: 27, no: 13, abstain: 3 } });
		expect(r.chambers?.organisations).toMatchObject({ outcome: 'passed', reason: 'majority_of_cast', participants: 7, eligible: 8, counts: { yes: 5, no: 2 } });
		expect(r.chambers?.members).toMatchObject({ outcome: 'passed', reason: 'majority_of_cast', participants: 36, eligible: 40, counts: { yes: 22, no: 11, abstain: 3 } });
	});

	// Worked example 2: a majority of all ballots is not enough. 30 yes against 12 no overall, but the organisations
	// said no 3 to 5: it fails, and the reason names the organisations' chamber.
	it('fails when one chamber says no, however large the majority of all ballots', () => {
		const ballots = [...cast('organisations', 'yes', 3), ...cast('organisations', 'no', 5), ...cast('members', 'yes', 27), ...cast('members', 'no', 7)];
		const r = countVote(rules(), setting(), ballots, electorate);
		expect(r).toMatchObject({ outcome: 'failed', reason: 'chamber_organisations_not', counts: { yes: 30, no: 12 } });
		expect(r.chambers?.organisations).toMatchObject({ outcome: 'failed', reason: 'more_against' });
		expect(r.chambers?.members).toMatchObject({ outcome: 'passed' });
	});

	// Worked example 3: each chamber's own threshold. The organisations need two thirds (6 of 8 cast yes: passed) and
	// the members a simple majority (19 yes, 19 no: a tie rejects). Fails in the members' chamber.
	it('applies each chamber its own threshold', () => {
		const ballots = [...cast('organisations', 'yes', 6), ...cast('organisations', 'no', 2), ...cast('members', 'yes', 19), ...cast('members', 'no', 19)];
		const r = countVote(rules(), setting({ threshold: 'two_thirds' }), ballots, electorate);
		expect(r.chambers?.organisations).toMatchObject({ outcome: 'passed', reason: 'two_thirds_of_cast' });
		expect(r.chambers?.members).toMatchObject({ outcome: 'failed', reason: 'tie_is_rejection' });
		expect(r).toMatchObject({ outcome: 'failed', reason: 'chamber_members_not' });
		// The same ballots with the organisations at an absolute majority of their 8: 6 > 4, still passed there.
		expect(countVote(rules(), setting({ threshold: 'absolute' }), ballots, electorate).chambers?.organisations).toMatchObject({ outcome: 'passed', reason: 'majority_of_eligible' });
	});

	// Worked example 4: each chamber's own quorum, against its own electorate. Organisations: half of 8 must take part,
	// 3 did (needed 4). Members: quorum of 10 ballots, 12 took part.
	it('counts each chamber against its own quorum and electorate', () => {
		const ballots = [...cast('organisations', 'yes', 3), ...cast('members', 'yes', 9), ...cast('members', 'no', 3)];
		const r = countVote(rules({ quorum: { kind: 'count', count: 10 } }), setting({ quorum: { kind: 'share', share: 0.5 } }), ballots, electorate);
		expect(r.chambers?.organisations).toMatchObject({ outcome: 'no_quorum', quorum: { reached: false, needed: 4 }, participants: 3 });
		expect(r.chambers?.members).toMatchObject({ outcome: 'passed', quorum: { reached: true, needed: 10 } });
		// Every chamber that did not pass it missed its quorum: the outcome says so.
		expect(r).toMatchObject({ outcome: 'no_quorum', reason: 'chamber_organisations_not', quorum: { reached: false, needed: 14 } });
		// With the members short of a majority as well, it simply failed.
		const both = countVote(rules({ quorum: { kind: 'count', count: 10 } }), setting({ quorum: { kind: 'share', share: 0.5 } }), [...cast('organisations', 'yes', 3), ...cast('members', 'no', 12)], electorate);
		expect(both).toMatchObject({ outcome: 'failed', reason: 'chambers_neither' });
	});

	it('is blocked when a block stops it in either chamber (consent)', () => {
		const ballots = [...consent('organisations', 'agree', 6), ...consent('organisations', 'block', 1), ...consent('members', 'agree', 30), ...consent('members', 'object', 2)];
		const r = countVote(rules({ method: 'consent' }), setting(), ballots, electorate);
		expect(r).toMatchObject({ outcome: 'blocked', reason: 'chamber_organisations_not' });
		expect(r.chambers?.members).toMatchObject({ outcome: 'passed', reason: 'consent_with_objections' });
	});

	it('says "no votes" when the chambers that did not pass had only abstentions, and counts nothing twice', () => {
		const ballots = [...cast('organisations', 'abstain', 4), ...cast('members', 'yes', 10)];
		expect(countVote(rules(), setting(), ballots, electorate)).toMatchObject({ outcome: 'no_votes', reason: 'chamber_organisations_not', participants: 14 });
		// A ballot counts only in its own chamber: the members' tally is exactly the ordinary tally of the members' ballots.
		const members = cast('members', 'yes', 10);
		expect(countVote(rules(), setting(), ballots, electorate).chambers?.members).toEqual(tally(rules(), members.map((b) => b.ballot), 40));
	});

	it('is the ordinary tally when a vote has one chamber', () => {
		const ballots = [...cast('members', 'yes', 3), ...cast('members', 'no', 1)];
		const single = countVote(rules(), null, ballots.map((b) => ({ ...b, chamber: null })), { total: 10, organisations: 0, members: 10 });
		expect(single).toEqual(tally(rules(), ballots.map((b) => b.ballot), 10));
		expect(single.chambers).toBeUndefined();
	});

	it('combines results in any order of passing', () => {
		const passed = tally(rules(), cast('members', 'yes', 1).map((b) => b.ballot), 1);
		const failed = tally(rules(), cast('members', 'no', 1).map((b) => b.ballot), 1);
		expect(combineChambers({ organisations: failed, members: passed })).toMatchObject({ outcome: 'failed', reason: 'chamber_organisations_not' });
		expect(combineChambers({ organisations: passed, members: failed })).toMatchObject({ outcome: 'failed', reason: 'chamber_members_not' });
		expect(combineChambers({ organisations: passed, members: passed })).toMatchObject({ outcome: 'passed', reason: 'chambers_both' });
	});

	it('takes two chambers only where a double majority means something', () => {
		const now = Date.UTC(2026, 11, 8);
		const input = (over: Partial<VoteInput>): VoteInput => ({ ...VOTE_DEFAULTS, title: 'Statuti', method: 'yes_no', chambers: setting(), ...over });
		expect(voteInputProblems(input({}), now)).toEqual({});
		expect(voteInputProblems(input({ method: 'consent' }), now)).toEqual({});
		expect(voteInputProblems(input({ method: 'single', options: ['A', 'B'] }), now)).toEqual({ chambers: 'chamber_method' });
		expect(voteInputProblems(input({ eligibility: 'organisations' }), now)).toEqual({ chambers: 'chamber_needs_members' });
		expect(voteInputProblems(input({ chambers: setting({ quorum: { kind: 'share', share: 1.5 } }) }), now)).toEqual({ chambers: 'invalid_quorum' });
	});
});
