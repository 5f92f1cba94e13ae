/**
 * Counting a vote as a whole, pure and isomorphic (the server at closing, the browser's "check this result"). One
 * chamber: its ordinary tally (tally.ts). Double majority: a vote of two chambers is tallied in each chamber on its
 * own (the ordinary tally, with the chamber's electorate, quorum and threshold), and the two results are combined:
 * - passed only when it passed in both chambers;
 * - otherwise blocked when a block stopped it in either chamber (consent);
 * - otherwise "no quorum" when every chamber that did not pass it missed its quorum, "no votes" when every such
 *   chamber had only abstentions (or no ballot), and "failed" in every other case;
 * - the reason names the chamber(s) that did not pass it; each chamber's own result (and its own reason) is kept in
 *   `chambers`, so the page, the projector and the decision say both.
 * The combined figures are the sums over both chambers; a person who represents an organisation has a ballot in
 * each chamber, so `participants` counts ballots, not people.
 */
import { tally, type VoteRules } from './tally.js';
import { CHAMBERS, type Chamber, type ChambersSetting, type CountedBallot, type ElectorateCount } from './chambers.js';
import type { Outcome, VoteResult } from './votes.js';

/** The rules of one chamber: the vote's own for the members, the setting's for the organisations. */
export function chamberRules(rules: VoteRules, setting: ChambersSetting, chamber: Chamber): VoteRules {
	return chamber === 'members' ? rules : { ...rules, ...setting.organisations };
}

/**
 * Counts a vote: its ordinary tally when it has one chamber; each chamber's tally, combined, when it has two. `base`
 * is what a one-chamber vote's share quorum is counted against (see tally).
 */
export function countVote(rules: VoteRules, setting: ChambersSetting | null, ballots: CountedBallot[], eligible: ElectorateCount, base?: number): VoteResult {
	if (!setting) return tally(rules, ballots.map((b) => b.ballot), eligible.total, base);
	const per = Object.fromEntries(
		CHAMBERS.map((chamber) => [chamber, tally(chamberRules(rules, setting, chamber), ballots.filter((b) => b.chamber === chamber).map((b) => b.ballot), eligible[chamber])])
	) as Record<Chamber, VoteResult>;
	return combineChambers(per);
}

/** The combined result of both chambers' results (the rule above). */
export function combineChambers(per: Record<Chamber, VoteResult>): VoteResult {
	const results = CHAMBERS.map((c) => per[c]);
	const short = CHAMBERS.filter((c) => per[c].outcome !== 'passed');
	const outcomes = new Set(short.map((c) => per[c].outcome));
	let outcome: Outcome = 'passed';
	if (short.length) {
		if (outcomes.has('blocked')) outcome = 'blocked';
		else if (outcomes.size === 1 && outcomes.has('no_quorum')) outcome = 'no_quorum';
		else if (outcomes.size === 1 && outcomes.has('no_votes')) outcome = 'no_votes';
		else outcome = 'failed';
	}
	const reason = short.length === 0 ? 'chambers_both' : short.length === 2 ? 'chambers_neither' : `chamber_${short[0]}_not`;
	const counts: Record<string, number> = {};
	for (const r of results) for (const [k, n] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + n;
	return {
		method: per.members.method,
		participants: results.reduce((a, r) => a + r.participants, 0),
		eligible: results.reduce((a, r) => a + r.eligible, 0),
		quorum: { reached: results.every((r) => r.quorum.reached), needed: results.reduce((a, r) => a + r.quorum.needed, 0) },
		outcome,
		reason,
		winners: [],
		counts,
		chambers: per
	};
}
