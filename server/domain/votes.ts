/**
 * The rules of votes, pure: ballot validation for every method, tallies (instant-runoff with every round), quorum,
 * pass thresholds, and a result that says whether the motion passed and why — as codes and numbers the UI words in
 * the reader's language. No I/O; nothing here knows who cast a ballot.
 */
import { hasRole, isActiveMember, type Actor } from './permissions.js';
import type { Ballot, Eligibility, Method, ResultsVisibility, Round, Threshold, VoteResult, Outcome } from '../../src/lib/shared/votes.js';

export type { Ballot, ConsentChoice, Eligibility, Method, ResultsVisibility, Round, Threshold, VoteResult, Outcome, YesNo } from '../../src/lib/shared/votes.js';
export { METHODS } from '../../src/lib/shared/votes.js';

/** simple: more yes than no among votes cast; two_thirds: yes ≥ 2/3 of yes+no; absolute: yes > half the eligible. */
export type Quorum = { kind: 'none' } | { kind: 'count'; count: number } | { kind: 'share'; share: number };

export interface VoteRules {
	method: Method;
	/** Option ids, in the order the ballot lists them (single, approval, ranked, score). */
	options: number[];
	/** Approval: how many options a ballot must and may approve. */
	minApprovals?: number;
	maxApprovals?: number;
	quorum: Quorum;
	/** For yes/no (and consent, where it does not apply: any block stops it). */
	threshold: Threshold;
}

export const MAX_SCORE = 5;

/** Why a ballot cannot be cast (a message key for the voter), or null when it is valid for these rules. */
export function ballotProblem(rules: VoteRules, ballot: Ballot): string | null {
	if (ballot.method !== rules.method) return 'wrong_method';
	const known = new Set(rules.options);
	switch (ballot.method) {
		case 'yes_no':
			return ['yes', 'no', 'abstain'].includes(ballot.choice) ? null : 'invalid_choice';
		case 'single':
			return known.has(ballot.option) ? null : 'invalid_choice';
		case 'approval': {
			const chosen = new Set(ballot.options);
			if (chosen.size !== ballot.options.length || ballot.options.some((o) => !known.has(o))) return 'invalid_choice';
			if (chosen.size < (rules.minApprovals ?? 0)) return 'too_few';
			if (chosen.size > (rules.maxApprovals ?? rules.options.length)) return 'too_many';
			return null;
		}
		case 'ranked': {
			// A ranking may stop early (the rest unranked), but may not repeat or invent options.
			const ranked = new Set(ballot.ranking);
			if (!ballot.ranking.length) return 'too_few';
			return ranked.size === ballot.ranking.length && ballot.ranking.every((o) => known.has(o)) ? null : 'invalid_choice';
		}
		case 'score': {
			const entries = Object.entries(ballot.scores);
			if (entries.length !== rules.options.length) return 'incomplete';
			return entries.every(([o, s]) => known.has(Number(o)) && Number.isInteger(s) && s >= 0 && s <= MAX_SCORE) ? null : 'invalid_choice';
		}
		case 'consent':
			if (!['agree', 'abstain', 'object', 'block'].includes(ballot.choice)) return 'invalid_choice';
			if ((ballot.choice === 'object' || ballot.choice === 'block') && !(ballot.reason ?? '').trim()) return 'reason_required';
			return null;
	}
}

/** Quorum against the eligible (or, in a meeting, those present): reached, and how many were needed. */
export function quorumOf(quorum: Quorum, participants: number, base: number): { reached: boolean; needed: number } {
	const needed = quorum.kind === 'none' ? 0 : quorum.kind === 'count' ? quorum.count : Math.ceil(quorum.share * base - 1e-9);
	return { reached: participants >= needed, needed };
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

// ——— Who may do what, and what a new vote must say ———

/** What the rules need to know about a vote and the person looking at it. */
export interface VoteFacts {
	visibility: 'public' | 'members';
	eligibility: Eligibility;
	groupId: number | null;
	/** The actor facilitates the vote's group. */
	facilitates: boolean;
}

export function canSeeVote(actor: Actor | null, v: VoteFacts): boolean {
	return v.visibility === 'public' || isActiveMember(actor);
}

/** Coordinators run the network's votes; a group's facilitators run its votes too. */
export function canManageVote(actor: Actor | null, v: VoteFacts): boolean {
	return hasRole(actor, 'coordinator') || (isActiveMember(actor) && v.groupId !== null && v.facilitates);
}

/** Who can vote is decided by units: a member ('u:12') or an organisation ('o:3'), frozen at opening. */
export const userUnit = (userId: number) => `u:${userId}`;
export const organisationUnit = (organisationId: number) => `o:${organisationId}`;

export interface VoteInput {
	title: string;
	description: string;
	method: Method;
	options: string[];
	minApprovals: number | null;
	maxApprovals: number | null;
	eligibility: Eligibility;
	groupId: number | null;
	visibility: 'public' | 'members';
	secret: boolean;
	results: ResultsVisibility;
	quorum: Quorum;
	threshold: Threshold;
	opensAt: number | null;
	closesAt: number | null;
}

/** What a vote is unless said otherwise: all members, open ballot, live results, no quorum, simple majority, by hand. */
export const VOTE_DEFAULTS: Omit<VoteInput, 'title' | 'method'> = {
	description: '',
	options: [],
	minApprovals: null,
	maxApprovals: null,
	eligibility: 'members',
	groupId: null,
	visibility: 'members',
	secret: false,
	results: 'live',
	quorum: { kind: 'none' },
	threshold: 'simple',
	opensAt: null,
	closesAt: null
};

export const MAX_OPTIONS = 20;

/** Field problems of a new vote (message codes), empty when it can be created. `now` is the clock. */
export function voteInputProblems(v: VoteInput, now: number): Record<string, string> {
	const p: Record<string, string> = {};
	const title = v.title.trim();
	if (!title) p.title = 'required';
	else if (title.length > 200) p.title = 'too_long';
	if (v.description.length > 5000) p.description = 'too_long';
	const choices = v.method === 'single' || v.method === 'approval' || v.method === 'ranked' || v.method === 'score';
	if (choices) {
		const labels = v.options.map((o) => o.trim()).filter(Boolean);
		if (labels.length < 2) p.options = 'too_few_options';
		else if (labels.length > MAX_OPTIONS) p.options = 'too_many_options';
		else if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) p.options = 'duplicate_options';
		else if (labels.some((l) => l.length > 200)) p.options = 'too_long';
		if (v.method === 'approval' && !p.options) {
			const min = v.minApprovals ?? 1;
			const max = v.maxApprovals ?? labels.length;
			if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 1 || min > max || max > labels.length) p.approvals = 'invalid_range';
		}
	}
	if (v.eligibility === 'group' && v.groupId === null) p.group = 'required';
	if (v.quorum.kind === 'count' && !(Number.isInteger(v.quorum.count) && v.quorum.count >= 1 && v.quorum.count <= 100000)) p.quorum = 'invalid_quorum';
	if (v.quorum.kind === 'share' && !(v.quorum.share > 0 && v.quorum.share <= 1)) p.quorum = 'invalid_quorum';
	if (v.opensAt !== null && v.closesAt !== null && v.closesAt <= v.opensAt) p.closesAt = 'closes_before_opens';
	else if (v.closesAt !== null && v.closesAt <= now) p.closesAt = 'in_the_past';
	return p;
}
