/**
 * "Check this result" for every method: recounts a closed vote's published ballots with the count the server ran at
 * closing (count.ts, tally.ts, stv.ts) and says, step by step, whether each matches the published result: the counts
 * (yes/no, consent, single choice, approval, score), every round (instant-runoff) or stage (STV), each chamber of a
 * double majority, and the outcome. Pure, for the browser; it knows only what is published (the ballots with their
 * receipts, the rules, the electorate's size frozen at opening), so it works the same on secret votes.
 */
import { countVote } from './count.js';
import { CHAMBERS, type Chamber, type ChambersSetting } from './chambers.js';
import { quorumFrom, type VoteRules } from './tally.js';
import type { Quorum } from './vote-input.js';
import type { Method, Outcome, PublishedBallot, Threshold, VoteResult } from './votes.js';

/** What the vote's page knows of its rules (VoteView's fields). */
export interface PublishedRules {
	method: Method;
	options: { id: number }[];
	minApprovals: number | null;
	maxApprovals: number | null;
	quorum: { kind: Quorum['kind']; value: number };
	threshold: Threshold;
	chambers: { organisations: { quorum: { kind: Quorum['kind']; value: number }; threshold: Threshold } } | null;
}

/** One step of the recount: the counts, a round (1-based) of instant-runoff, a stage of STV, or a chamber. */
export type CheckStep = { kind: 'counts' } | { kind: 'outcome' } | { kind: 'round'; n: number } | { kind: 'stage'; n: number } | { kind: 'chamber'; chamber: Chamber };

export interface ResultCheck {
	matches: boolean;
	ballots: number;
	/** Every step compared, in order, with whether the recount gives the published figures. */
	steps: { step: CheckStep; matches: boolean }[];
	/** The recount's own outcome and winners (what the ballots say, whatever was published). */
	outcome: Outcome;
	winners: number[];
}

/** JSON with object keys in order: the published result went through the database, the recount did not. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_k, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v
	);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The rules as the server counted them, from what the page publishes (the lot's seed is in an STV result). */
export function rulesFrom(v: PublishedRules, published: VoteResult): { rules: VoteRules; setting: ChambersSetting | null } {
	const rules: VoteRules = {
		method: v.method,
		options: v.options.map((o) => o.id),
		minApprovals: v.minApprovals ?? undefined,
		maxApprovals: v.maxApprovals ?? undefined,
		quorum: quorumFrom(v.quorum.kind, v.quorum.value),
		threshold: v.threshold,
		...(published.stv ? { seats: published.stv.seats, lotSeed: published.stv.lot.seed } : {})
	};
	const setting = v.chambers ? { organisations: { quorum: quorumFrom(v.chambers.organisations.quorum.kind, v.chambers.organisations.quorum.value), threshold: v.chambers.organisations.threshold } } : null;
	return { rules, setting };
}

/** The steps of one (one-chamber) result, compared with the recount's. */
function stepsOf(published: VoteResult, recount: VoteResult): ResultCheck['steps'] {
	if (published.stv || recount.stv) {
		const a = published.stv?.stages ?? [];
		const b = recount.stv?.stages ?? [];
		return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({ step: { kind: 'stage', n: i + 1 } as const, matches: same(a[i], b[i]) }));
	}
	if (published.rounds || recount.rounds) {
		const a = published.rounds ?? [];
		const b = recount.rounds ?? [];
		return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({ step: { kind: 'round', n: i + 1 } as const, matches: same(a[i], b[i]) }));
	}
	return [{ step: { kind: 'counts' }, matches: same(published.counts, recount.counts) && same(published.averages, recount.averages) }];
}

/** Whether the published outcome (and everything said about it) is the recount's. */
function sameOutcome(published: VoteResult, recount: VoteResult): boolean {
	const said = ({ outcome, reason, winners, participants, eligible, quorum }: VoteResult) => ({ outcome, reason, winners, participants, eligible, quorum });
	return same(said(published), said(recount));
}

/** Recounts `ballots` by the vote's rules and compares every step with the `published` result. */
export function checkResult(v: PublishedRules, published: VoteResult, ballots: PublishedBallot[]): ResultCheck {
	const { rules, setting } = rulesFrom(v, published);
	const eligible = { total: published.eligible, organisations: published.chambers?.organisations.eligible ?? 0, members: published.chambers?.members.eligible ?? 0 };
	const recount = countVote(rules, setting, ballots.map((b) => ({ ballot: b.ballot, chamber: b.chamber })), eligible);
	const steps: ResultCheck['steps'] = [];
	if (setting) {
		for (const chamber of CHAMBERS) {
			const p = published.chambers?.[chamber];
			const r = recount.chambers![chamber];
			steps.push({ step: { kind: 'chamber', chamber }, matches: !!p && same(p, r) });
		}
	} else steps.push(...stepsOf(published, recount));
	steps.push({ step: { kind: 'outcome' }, matches: sameOutcome(published, recount) });
	return { matches: steps.every((s) => s.matches), ballots: ballots.length, steps, outcome: recount.outcome, winners: recount.winners };
}
