/**
 * What a new vote must say, one schema for every way a vote is called (the new-vote form, a meeting's room): the
 * shape, and the rules across fields as message codes by field.
 */
import { z } from 'zod';
import { CHAMBER_METHODS, type ChambersSetting } from './chambers.js';
import { choosesAmongOptions, ELIGIBILITIES, METHODS, RESULTS_VISIBILITIES, THRESHOLDS, type Eligibility, type Method, type ResultsVisibility, type Threshold } from './votes.js';

/** What a new vote hangs on: a thread, a draft's version, or an amendment. */
export interface SubjectInput {
	threadId?: number;
	draftId?: number;
	versionNumber?: number;
	amendmentId?: number;
	/** A draft version that a vote already decided is put to a vote again only when this is said explicitly. */
	again?: boolean;
}

export type Quorum = { kind: 'none' } | { kind: 'count'; count: number } | { kind: 'share'; share: number };

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
	/**
	 * Two chambers: the organisations' chamber's quorum and threshold (the members' chamber has the vote's own); the
	 * organisations voting are those with a representative among the vote's electorate. Absent or null: one chamber.
	 */
	chambers?: ChambersSetting | null;
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

/** The option labels a vote will list: trimmed, blank lines dropped. */
export const optionLabels = (options: string[]) => options.map((o) => o.trim()).filter(Boolean);

/** Field problems of a new vote (message codes), empty when it can be created. `now` is the clock. */
export function voteInputProblems(v: VoteInput, now: number): Record<string, string> {
	const p: Record<string, string> = {};
	const title = v.title.trim();
	if (!title) p.title = 'required';
	else if (title.length > 200) p.title = 'too_long';
	if (v.description.length > 5000) p.description = 'too_long';
	if (choosesAmongOptions(v.method)) {
		const labels = optionLabels(v.options);
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
	if (!quorumValid(v.quorum)) p.quorum = 'invalid_quorum';
	if (v.chambers) {
		if (v.eligibility === 'organisations') p.chambers = 'chamber_needs_members';
		else if (!CHAMBER_METHODS.includes(v.method)) p.chambers = 'chamber_method';
		else if (!quorumValid(v.chambers.organisations.quorum)) p.chambers = 'invalid_quorum';
	}
	if (v.opensAt !== null && v.closesAt !== null && v.closesAt <= v.opensAt) p.closesAt = 'closes_before_opens';
	else if (v.closesAt !== null && v.closesAt <= now) p.closesAt = 'in_the_past';
	return p;
}

function quorumValid(q: Quorum): boolean {
	if (q.kind === 'count') return Number.isInteger(q.count) && q.count >= 1 && q.count <= 100000;
	if (q.kind === 'share') return q.share > 0 && q.share <= 1;
	return true;
}

const quorumSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('none') }),
	z.object({ kind: z.literal('count'), count: z.number() }),
	z.object({ kind: z.literal('share'), share: z.number() })
]);
const time = z.number().nullable();
const count = z.number().nullable();

/** A new vote as called at `now`: its shape, then voteInputProblems as issues on their fields. */
export const voteInputSchema = (now: number) =>
	z
		.object({
			title: z.string(),
			description: z.string(),
			method: z.enum(METHODS),
			options: z.array(z.string()),
			minApprovals: count,
			maxApprovals: count,
			eligibility: z.enum(ELIGIBILITIES),
			groupId: z.number().int().positive().nullable(),
			visibility: z.enum(['public', 'members']),
			secret: z.boolean(),
			results: z.enum(RESULTS_VISIBILITIES),
			quorum: quorumSchema,
			threshold: z.enum(THRESHOLDS),
			opensAt: time,
			closesAt: time,
			chambers: z.object({ organisations: z.object({ quorum: quorumSchema, threshold: z.enum(THRESHOLDS) }) }).nullable().optional()
		})
		.superRefine((input, ctx) => {
			for (const [field, code] of Object.entries(voteInputProblems(input, now))) ctx.addIssue({ code: 'custom', path: [field], message: code });
		});

/**
 * The problems of a vote's input by field (message codes), empty when it can be created. A field of the wrong shape
 * (only a caller that bypassed the form can send one) is 'invalid'.
 */
export function voteInputIssues(input: unknown, now: number): Record<string, string> {
	const parsed = voteInputSchema(now).safeParse(input);
	if (parsed.success) return {};
	const problems: Record<string, string> = {};
	for (const issue of parsed.error.issues) {
		const field = String(issue.path[0] ?? 'input');
		problems[field] ??= issue.code === 'custom' ? issue.message : 'invalid';
	}
	return problems;
}
