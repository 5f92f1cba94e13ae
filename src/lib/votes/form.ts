/**
 * The new-vote form, read into what the votes service takes. Pure: the service checks the rules after authorising
 * (voteInputSchema); this only reads fields and reports what cannot be read (a malformed date or number).
 */
import { ELIGIBILITIES, METHODS, RESULTS_VISIBILITIES, THRESHOLDS, type Eligibility, type Method, type ResultsVisibility, type Threshold } from '$lib/shared/votes';
import type { Quorum, SubjectInput, VoteInput } from '$lib/shared/vote-input';
import { readerZone } from '$lib/shared/time';

/** Every field of the form, by name: what the page posts and what it shows again after a refusal. */
export const VOTE_FORM_FIELDS = [
	'title',
	'description',
	'method',
	'options',
	'minApprovals',
	'maxApprovals',
	'eligibility',
	'group',
	'visibility',
	'secret',
	'results',
	'quorumKind',
	'quorumValue',
	'threshold',
	'opensAt',
	'closesAt',
	'openNow',
	'thread',
	'draft',
	'version',
	'amendment',
	'again',
	'seats',
	'chambers',
	'orgQuorumKind',
	'orgQuorumValue',
	'orgThreshold'
] as const;
export type VoteFormValues = Record<(typeof VOTE_FORM_FIELDS)[number], string>;

export interface ParsedVoteForm {
	input: VoteInput;
	subject: SubjectInput;
	openNow: boolean;
	/** Fields that could not be read, as problem codes. */
	problems: Record<string, string>;
}

const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
const positiveInt = (v: string) => (/^\d{1,9}$/.test(v.trim()) && Number(v) > 0 ? Number(v) : undefined);

/** How far `timeZone` is ahead of UTC at the instant `t`, in ms. */
function zoneOffset(t: number, timeZone: string): number {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
			.formatToParts(t)
			.map((p) => [p.type, Number(p.value)])
	);
	return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(t / 1000) * 1000;
}

/**
 * A `datetime-local` value ("2026-12-03T18:30") read as wall-clock time in the reader's zone (the one the form's
 * times were shown in); null when empty, NaN when it cannot be read.
 */
export function localDateTime(value: string, timeZone = readerZone()): number | null {
	const v = value.trim();
	if (!v) return null;
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(v);
	if (!match) return NaN;
	const [, y, mo, d, h, mi] = match.map(Number);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return NaN;
	const wall = Date.UTC(y, mo - 1, d, h, mi);
	const first = wall - zoneOffset(wall, timeZone);
	// Near a daylight-saving change the offset at the guess may differ from the offset at the answer.
	return wall - zoneOffset(first, timeZone);
}

function quorumOf(kind: string, raw: string): { quorum: Quorum; problem?: string } {
	const value = Number(raw.trim().replace(',', '.'));
	if (kind === 'count') return Number.isInteger(value) && raw.trim() ? { quorum: { kind: 'count', count: value } } : { quorum: { kind: 'count', count: 0 }, problem: 'invalid_quorum' };
	if (kind === 'share') return Number.isFinite(value) && raw.trim() ? { quorum: { kind: 'share', share: value / 100 } } : { quorum: { kind: 'share', share: 0 }, problem: 'invalid_quorum' };
	return { quorum: { kind: 'none' } };
}

/** An election's part of a vote form (its method "election"): the seats asked for (0 when unreadable), or null. */
export function electionOfForm(method: string, seats: string): { seats: number } | null {
	return method === 'election' ? { seats: /^\d{1,2}$/.test(seats.trim()) ? Number(seats) : 0 } : null;
}

/** Reads the submitted form (`get` returns '' for a missing field). */
export function parseVoteForm(get: (name: string) => string): ParsedVoteForm {
	const problems: Record<string, string> = {};
	const method = oneOf<Method>(get('method'), METHODS, 'yes_no');
	const eligibility = oneOf<Eligibility>(get('eligibility'), ELIGIBILITIES, 'members');
	const { quorum, problem } = quorumOf(get('quorumKind'), get('quorumValue'));
	if (problem) problems.quorum = problem;
	// Two chambers: the organisations' chamber's own quorum and threshold.
	let chambers: VoteInput['chambers'] = null;
	if (get('chambers') === '1') {
		const org = quorumOf(get('orgQuorumKind'), get('orgQuorumValue'));
		if (org.problem) problems.chambers = org.problem;
		chambers = { organisations: { quorum: org.quorum, threshold: oneOf<Threshold>(get('orgThreshold'), THRESHOLDS, 'simple') } };
	}
	const opensAt = localDateTime(get('opensAt'));
	const closesAt = localDateTime(get('closesAt'));
	if (Number.isNaN(opensAt)) problems.opensAt = 'invalid_date';
	if (Number.isNaN(closesAt)) problems.closesAt = 'invalid_date';
	const approvals = method === 'approval';
	const count = (v: string) => (v.trim() === '' ? null : /^\d{1,3}$/.test(v.trim()) ? Number(v) : NaN);
	const minApprovals = approvals ? count(get('minApprovals')) : null;
	const maxApprovals = approvals ? count(get('maxApprovals')) : null;
	if (Number.isNaN(minApprovals) || Number.isNaN(maxApprovals)) problems.approvals = 'invalid_range';
	const groupId = eligibility === 'group' ? (positiveInt(get('group')) ?? null) : null;
	const input: VoteInput = {
		title: get('title'),
		description: get('description'),
		method,
		options: get('options')
			.split(/\r?\n/)
			.map((o) => o.trim())
			.filter(Boolean),
		minApprovals: Number.isNaN(minApprovals) ? null : minApprovals,
		maxApprovals: Number.isNaN(maxApprovals) ? null : maxApprovals,
		eligibility,
		groupId,
		visibility: get('visibility') === 'public' ? 'public' : 'members',
		secret: get('secret') === '1',
		results: oneOf<ResultsVisibility>(get('results'), RESULTS_VISIBILITIES, 'live'),
		quorum,
		threshold: oneOf<Threshold>(get('threshold'), THRESHOLDS, 'simple'),
		opensAt: Number.isNaN(opensAt) ? null : opensAt,
		closesAt: Number.isNaN(closesAt) ? null : closesAt,
		chambers
	};
	const subject: SubjectInput = {};
	const amendment = positiveInt(get('amendment'));
	const draft = positiveInt(get('draft'));
	const thread = positiveInt(get('thread'));
	if (amendment) subject.amendmentId = amendment;
	else if (draft) Object.assign(subject, { draftId: draft, versionNumber: positiveInt(get('version')) ?? 0 }, get('again') === 'on' ? { again: true } : {});
	else if (thread) subject.threadId = thread;
	return { input, subject, openNow: get('openNow') === '1' && input.opensAt === null, problems };
}
