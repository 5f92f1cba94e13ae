/**
 * Counting a vote, pure and isomorphic: the tally of every method (instant-runoff with every round, STV through
 * stv.ts), quorum and pass thresholds, with a result that says whether the motion passed and why, as codes and
 * numbers the UI words in the reader's language. The server counts with it when a vote closes; the browser recounts
 * the published ballots with the same code ("check this result", result-check.ts).
 */
import type { Ballot, BallotRules, Round, Threshold, VoteResult, Outcome } from './votes.js';
import type { Quorum } from './vote-input.js';
import { firstPreferences, scottishStv } from './stv.js';

/** A vote's rules: what its ballots are checked against, and how they are counted. */
export interface VoteRules extends BallotRules {
	quorum: Quorum;
	/** For yes/no (and consent, where it does not apply: any block stops it). */
	threshold: Threshold;
	/** Elections: a ranked vote with seats is counted by STV (src/lib/shared/stv.ts), its ties by this seed's lot. */
	seats?: number;
	lotSeed?: string;
}

/** Quorum against the eligible (or, in a meeting, those present): reached, and how many were needed. */
export function quorumOf(quorum: Quorum, participants: number, base: number): { reached: boolean; needed: number } {
	const needed = quorum.kind === 'none' ? 0 : quorum.kind === 'count' ? quorum.count : Math.ceil(quorum.share * base - 1e-9);
	return { reached: participants >= needed, needed };
}

/** A quorum's one number: the count, the share, or 0 when there is none. Rows store it so and views show it so. */
export function quorumValue(quorum: Quorum): number {
	return quorum.kind === 'count' ? quorum.count : quorum.kind === 'share' ? quorum.share : 0;
}

/** The quorum stored as a kind and one number (see quorumValue). */
export function quorumFrom(kind: Quorum['kind'], value: number): Quorum {
	return kind === 'count' ? { kind: 'count', count: value } : kind === 'share' ? { kind: 'share', share: value } : { kind: 'none' };
}

/**
 * Tallies the ballots of a closed (or live) vote. `eligible` is the eligible count frozen at opening; `base` is what
 * a share quorum is counted against (the eligible, or those present in a meeting).
 */
export function tally(rules: VoteRules, ballots: Ballot[], eligible: number, base = eligible): VoteResult {
	const participants = ballots.length;
	const quorum = quorumOf(rules.quorum, participants, base);
	const result = (outcome: Outcome, reason: string, counts: Record<string, number>, winners: number[] = [], extra: Partial<VoteResult> = {}): VoteResult => ({
		method: rules.method,
		participants,
		eligible,
		quorum,
		outcome: quorum.reached ? outcome : 'no_quorum',
		reason: quorum.reached ? reason : 'quorum_not_reached',
		winners: quorum.reached ? winners : [],
		counts,
		...extra
	});
	switch (rules.method) {
		case 'yes_no': {
			const c = { yes: 0, no: 0, abstain: 0 };
			for (const b of ballots) if (b.method === 'yes_no') c[b.choice]++;
			const { passed, reason } = decide(rules.threshold, c.yes, c.no, eligible);
			return result(c.yes + c.no === 0 ? 'no_votes' : passed ? 'passed' : 'failed', c.yes + c.no === 0 ? 'only_abstentions' : reason, c);
		}
		case 'consent': {
			const c = { agree: 0, abstain: 0, object: 0, block: 0 };
			for (const b of ballots) if (b.method === 'consent') c[b.choice]++;
			if (c.block > 0) return result('blocked', 'block', c);
			return result(c.agree > 0 ? 'passed' : 'no_votes', c.object > 0 ? 'consent_with_objections' : 'consent', c);
		}
		case 'single':
		case 'approval': {
			const c = Object.fromEntries(rules.options.map((o) => [o, 0])) as Record<number, number>;
			for (const b of ballots) {
				if (b.method === 'single') c[b.option]++;
				if (b.method === 'approval') for (const o of b.options) c[o]++;
			}
			const top = Math.max(0, ...Object.values(c));
			const winners = top === 0 ? [] : rules.options.filter((o) => c[o] === top);
			return result(winners.length === 0 ? 'no_votes' : winners.length > 1 ? 'tie' : 'elected', winners.length > 1 ? 'tied_top' : 'most_votes', c, winners);
		}
		case 'score': {
			const sums = Object.fromEntries(rules.options.map((o) => [o, 0])) as Record<number, number>;
			for (const b of ballots) if (b.method === 'score') for (const o of rules.options) sums[o] += b.scores[o] ?? 0;
			const averages = Object.fromEntries(rules.options.map((o) => [o, participants ? Math.round((sums[o] / participants) * 100) / 100 : 0]));
			const top = Math.max(0, ...Object.values(sums));
			const winners = participants === 0 ? [] : rules.options.filter((o) => sums[o] === top);
			return result(winners.length === 0 ? 'no_votes' : winners.length > 1 ? 'tie' : 'elected', winners.length > 1 ? 'tied_top' : 'highest_score', sums, winners, { averages });
		}
		case 'ranked': {
			const rankings = ballots.flatMap((b) => (b.method === 'ranked' ? [b.ranking] : []));
			if (rules.seats) {
				const stv = scottishStv(rules.options, rankings, rules.seats, rules.lotSeed ?? '');
				// Without a valid ballot nobody is elected (rule 52 alone would seat candidates nobody voted for).
				const elected = stv.valid > 0 ? stv.elected : [];
				return result(elected.length ? 'elected' : 'no_votes', elected.length ? 'stv_elected' : 'no_votes', firstPreferences(stv), elected, { stv });
			}
			const { rounds, winner } = instantRunoff(rules.options, rankings);
			const last = rounds[rounds.length - 1];
			return result(winner === null ? 'no_votes' : 'elected', winner === null ? 'no_votes' : 'runoff_majority', last ? last.counts : {}, winner === null ? [] : [winner], { rounds });
		}
	}
}

function decide(threshold: Threshold, yes: number, no: number, eligible: number): { passed: boolean; reason: string } {
	if (threshold === 'two_thirds') return yes * 3 >= (yes + no) * 2 && yes > 0 ? { passed: true, reason: 'two_thirds_of_cast' } : { passed: false, reason: 'short_of_two_thirds' };
	if (threshold === 'absolute') return yes * 2 > eligible ? { passed: true, reason: 'majority_of_eligible' } : { passed: false, reason: 'short_of_majority_of_eligible' };
	return yes > no ? { passed: true, reason: 'majority_of_cast' } : { passed: false, reason: yes === no ? 'tie_is_rejection' : 'more_against' };
}

/**
 * Instant-runoff: each round counts every ballot for its highest-ranked continuing option; an option with more
 * than half of the continuing ballots wins; otherwise the option with the fewest votes is eliminated.
 * Tie-break for elimination, stated: fewest first preferences; then fewest votes in the latest earlier round where
 * they differ; then the option listed last on the ballot.
 */
export function instantRunoff(options: number[], rankings: number[][]): { rounds: Round[]; winner: number | null } {
	const continuing = new Set(options);
	const rounds: Round[] = [];
	const firsts = Object.fromEntries(options.map((o) => [o, 0])) as Record<number, number>;
	for (const r of rankings) if (r.length && continuing.has(r[0])) firsts[r[0]]++;
	if (!rankings.some((r) => r.length)) return { rounds, winner: null };
	for (;;) {
		const counts = Object.fromEntries([...continuing].map((o) => [o, 0])) as Record<number, number>;
		let exhausted = 0;
		for (const r of rankings) {
			const top = r.find((o) => continuing.has(o));
			if (top === undefined) exhausted++;
			else counts[top]++;
		}
		const active = rankings.length - exhausted;
		const leader = [...continuing].find((o) => counts[o] * 2 > active);
		if (leader !== undefined || continuing.size === 1) {
			rounds.push({ counts, exhausted, eliminated: null, tieBreak: null });
			return { rounds, winner: leader ?? [...continuing][0] };
		}
		const fewest = Math.min(...[...continuing].map((o) => counts[o]));
		let tied = [...continuing].filter((o) => counts[o] === fewest);
		let tieBreak: Round['tieBreak'] = null;
		if (tied.length > 1) {
			tieBreak = 'first_preferences';
			const f = Math.min(...tied.map((o) => firsts[o]));
			tied = tied.filter((o) => firsts[o] === f);
		}
		if (tied.length > 1) {
			tieBreak = 'earlier_rounds';
			for (let i = rounds.length - 1; i >= 0 && tied.length > 1; i--) {
				const m = Math.min(...tied.map((o) => rounds[i].counts[o] ?? 0));
				tied = tied.filter((o) => (rounds[i].counts[o] ?? 0) === m);
			}
		}
		if (tied.length > 1) {
			tieBreak = 'ballot_order';
			tied = [tied.reduce((a, b) => (options.indexOf(a) > options.indexOf(b) ? a : b))];
		}
		const eliminated = tied[0];
		rounds.push({ counts, exhausted, eliminated, tieBreak });
		continuing.delete(eliminated);
	}
}
