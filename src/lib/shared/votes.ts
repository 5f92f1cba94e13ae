/**
 * Vote DTOs and the rules the browser and the server both apply: ballot checks, receipts, voter units. The count is
 * in tally.ts and count.ts (both sides too); who may see what is in server/domain/votes.ts.
 */

import type { VersionLanguages } from './translations.js';
import type { StvCount } from './stv.js';
import type { Chamber } from './chambers.js';

export const METHODS = ['yes_no', 'single', 'approval', 'ranked', 'score', 'consent'] as const;
export type Method = (typeof METHODS)[number];
const CHOICE_METHODS: readonly Method[] = ['single', 'approval', 'ranked', 'score'];
/** Whether a method's ballot chooses among the vote's listed options. */
export const choosesAmongOptions = (method: Method) => CHOICE_METHODS.includes(method);
export const ELIGIBILITIES = ['members', 'group', 'organisations'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];
export const RESULTS_VISIBILITIES = ['live', 'after_voting', 'after_close'] as const;
export type ResultsVisibility = (typeof RESULTS_VISIBILITIES)[number];
/** simple: more yes than no among votes cast; two_thirds: yes ≥ 2/3 of yes+no; absolute: yes > half the eligible. */
export const THRESHOLDS = ['simple', 'two_thirds', 'absolute'] as const;
export type Threshold = (typeof THRESHOLDS)[number];
export type VoteStatus = 'scheduled' | 'open' | 'closed' | 'cancelled';
export type YesNo = 'yes' | 'no' | 'abstain';
export type ConsentChoice = 'agree' | 'abstain' | 'object' | 'block';

export type Ballot =
	| { method: 'yes_no'; choice: YesNo }
	| { method: 'single'; option: number }
	| { method: 'approval'; options: number[] }
	| { method: 'ranked'; ranking: number[] }
	| { method: 'score'; scores: Record<number, number> }
	| { method: 'consent'; choice: ConsentChoice; reason?: string };

export interface Round {
	counts: Record<number, number>;
	exhausted: number;
	eliminated: number | null;
	tieBreak: 'first_preferences' | 'earlier_rounds' | 'ballot_order' | null;
}

export type Outcome = 'passed' | 'failed' | 'no_quorum' | 'elected' | 'tie' | 'no_votes' | 'blocked';

export interface VoteResult {
	method: Method;
	participants: number;
	eligible: number;
	quorum: { reached: boolean; needed: number };
	outcome: Outcome;
	reason: string;
	winners: number[];
	counts: Record<string, number>;
	rounds?: Round[];
	averages?: Record<number, number>;
	/** Elections: every stage of the STV count (`counts` are then the first preferences). */
	stv?: StvCount;
	/** Two chambers: each chamber's own result; the fields above are then the combined result (count.ts). */
	chambers?: Record<Chamber, VoteResult>;
}

export interface VoteOption {
	id: number;
	label: string;
}

/** What a vote hangs on. */
export type VoteSubject =
	| { kind: 'thread'; threadId: number; title: string }
	| { kind: 'version'; draftId: number; draftTitle: string; number: number; name: string; hash: string }
	| { kind: 'amendment'; draftId: number; draftTitle: string; amendmentId: number; original: string; replacement: string }
	| null;

export interface VoteSummary {
	id: number;
	title: string;
	method: Method;
	status: VoteStatus;
	secret: boolean;
	eligibility: Eligibility;
	group: { slug: string; name: string } | null;
	opensAt: number | null;
	closesAt: number | null;
	participants: number;
	eligible: number;
	outcome: Outcome | null;
}

/** Live figures as broadcast: everyone gets participation; `result` only where the rules let them see it. */
export interface VoteTally {
	voteId: number;
	status: VoteStatus;
	participants: number;
	eligible: number;
	result: VoteResult | null;
	/** Two chambers: participation in each (counts only, also on secret votes); null for one chamber. */
	chambers: Record<Chamber, { participants: number; eligible: number }> | null;
}

/** A person's part in a vote as one voter (as themselves, or for an organisation they represent). */
export interface VoterSeat {
	eligible: boolean;
	voted: boolean;
	/** Open votes: the ballot as cast, to change it. Secret votes: never (the server cannot know it). */
	ballot: Ballot | null;
	/** Open votes: the receipt of the ballot as cast (kept when it is changed). Secret votes: never. */
	receipt: string | null;
	/** Organisation votes and the organisations' chamber: the organisation this seat casts for. */
	organisation: { id: number; name: string } | null;
	/** A proxy the viewer holds: the member this seat casts for. */
	giver?: { id: number; name: string };
}

export interface VoteView extends VoteSummary {
	description: string;
	options: VoteOption[];
	minApprovals: number | null;
	maxApprovals: number | null;
	visibility: 'public' | 'members';
	results: ResultsVisibility;
	quorum: { kind: 'none' | 'count' | 'share'; value: number };
	threshold: Threshold;
	subject: VoteSubject;
	/** The draft version's text as the ballot shows it (votes on a version). */
	versionHtml: string | null;
	/** The version in its other languages, when it was taken in several (the source's text is versionHtml). */
	versionLanguages: VersionLanguages | null;
	openedAt: number | null;
	closedAt: number | null;
	tally: VoteTally;
	/** The viewer's part: may they vote, have they (their organisation) voted, their own ballot on open votes. */
	me: VoterSeat;
	/**
	 * Two chambers: the organisations' chamber's rules (the members' chamber has the vote's own), and the viewer's
	 * seats there, one per organisation they represent (each cast apart from `me`, their own ballot as a member).
	 */
	chambers: { organisations: { quorum: VoteView['quorum']; threshold: Threshold }; seats: VoterSeat[] } | null;
	/** The members whose proxy the viewer holds in this vote (frozen at opening), one seat each. */
	proxySeats: VoterSeat[];
	/** An election: the seats to fill (its candidates become its options when it opens); null for any other vote. */
	seats: number | null;
	can: { manage: boolean };
	decisionId: number | null;
}

export interface CastOutcome {
	/** The voter's receipt code: kept by them, published with every ballot after closing. */
	receipt: string;
	changed: boolean;
}

/** After closing: every receipt with its ballot; on open votes also who voted what. */
export interface PublishedBallot {
	receipt: string;
	ballot: Ballot;
	voter: string | null;
	/** Two chambers: the chamber the ballot counted in. */
	chamber: Chamber | null;
}

export interface DecisionView {
	id: number;
	voteId: number;
	title: string;
	outcome: Outcome;
	result: VoteResult;
	options: VoteOption[];
	group: { slug: string; name: string } | null;
	visibility: 'public' | 'members';
	threadId: number | null;
	draft: { id: number; title: string; number: number | null; hash: string | null; /** Each translation's hash, taken with the version. */ translations: { lang: string; hash: string }[] } | null;
	amendmentId: number | null;
	/** The meeting the vote was held in. */
	meeting: { id: number; title: string } | null;
	decidedAt: number;
}

/** Crockford's base32: no I, L, O, U — read aloud or copied by hand without confusion. */
const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECEIPT_GROUP = `[${RECEIPT_ALPHABET}]{4}`;

/** Receipt codes: 12 characters of Crockford's base32 in three groups (60 random bits). */
export const RECEIPT_PATTERN = new RegExp(`^${RECEIPT_GROUP}-${RECEIPT_GROUP}-${RECEIPT_GROUP}$`);

/** A fresh receipt, XXXX-XXXX-XXXX, from a cryptographic random source. */
export function newReceipt(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(12));
	const s = Array.from(bytes, (b) => RECEIPT_ALPHABET[b & 31]).join('');
	return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/**
 * Tokens a voter's device makes and keeps (letters, digits, '-' and '_', 32 to 64 of them): a cast id, made once per
 * press of "vote" and sent again unchanged when the cast is retried, and a secret ballot's change key, kept on the
 * device that cast it and sent only to change it. The server stores only their SHA-256.
 */
export const DEVICE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,64}$/;

/** A fresh device token: 32 random bytes, hex (64 characters). */
export function newDeviceToken(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Who can vote is decided by units: a member ('u:12') or an organisation ('o:3'), frozen at opening. */
export const userUnit = (userId: number) => `u:${userId}`;
export const organisationUnit = (organisationId: number) => `o:${organisationId}`;

/** The member or organisation a unit stands for; null for anything else. */
export function unitParts(unit: string): { kind: 'user' | 'organisation'; id: number } | null {
	const match = /^([uo]):(\d{1,15})$/.exec(unit);
	if (!match) return null;
	return { kind: match[1] === 'u' ? 'user' : 'organisation', id: Number(match[2]) };
}

export const MAX_SCORE = 5;

/** What a ballot is checked against: the vote's method and options. */
export interface BallotRules {
	method: Method;
	/** Option ids, in the order the ballot lists them (single, approval, ranked, score). */
	options: number[];
	/** Approval: how many options a ballot must and may approve. */
	minApprovals?: number;
	maxApprovals?: number;
}

/**
 * Why a ballot cannot be cast (a message key for the voter), or null when it is valid for these rules. The vote page
 * checks with it before sending, the server again before writing.
 */
export function ballotProblem(rules: BallotRules, ballot: Ballot): string | null {
	if (ballot.method !== rules.method) return 'wrong_method';
	// Options are named exactly as the vote stores them: the number itself in lists (Set.has: 1 is not "1"), its
	// decimal text as a score's key ("01", " 1" and "1.0" name no option).
	const known = new Set(rules.options);
	const keys = new Set(rules.options.map(String));
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
			return entries.every(([o, s]) => keys.has(o) && Number.isInteger(s) && s >= 0 && s <= MAX_SCORE) ? null : 'invalid_choice';
		}
		case 'consent':
			if (!['agree', 'abstain', 'object', 'block'].includes(ballot.choice)) return 'invalid_choice';
			if ((ballot.choice === 'object' || ballot.choice === 'block') && !(ballot.reason ?? '').trim()) return 'reason_required';
			return null;
	}
}

// The schemas of a ballot and a cast are in vote-schemas.ts: building them runs zod at import, which would put zod
// (~21 KB brotli) into every page that shows a vote; the server and the types need them, the pages need neither.
export type { CastRequest } from './vote-schemas.js';

/** Reads a ballot from a submitted ballot form (field names as the vote page writes them); null when nothing is chosen. */
export function ballotFromForm(method: Method, get: (key: string) => string, getAll: (key: string) => string[]): Ballot | null {
	// Numbers as the page writes them, exactly: "01", " 1" or "1.0" read as no number (and so as no option).
	const num = (v: string) => (/^(0|[1-9]\d{0,3})$/.test(v) ? Number(v) : NaN);
	switch (method) {
		case 'yes_no':
		case 'consent': {
			const choice = get('choice');
			if (!choice) return null;
			return method === 'yes_no' ? ({ method, choice } as Ballot) : ({ method, choice, reason: get('reason') } as Ballot);
		}
		case 'single':
			return get('option') ? { method, option: num(get('option')) } : null;
		case 'approval':
			return { method, options: getAll('option').map(num) };
		case 'ranked': {
			// rank_<option> = 1, 2, 3… (empty: not ranked)
			const ranks = getAll('ranked').map((o) => [num(o), num(get(`rank_${o}`))] as const);
			const ranking = ranks.filter(([, r]) => r > 0).sort((a, b) => a[1] - b[1]);
			if (new Set(ranking.map(([, r]) => r)).size !== ranking.length) return { method, ranking: [] };
			return { method, ranking: ranking.map(([o]) => o) };
		}
		case 'score': {
			const scores: Record<number, number> = {};
			// An option left unscored is left out: the ballot is then incomplete, not malformed.
			for (const o of getAll('scored')) if (get(`score_${o}`)) scores[num(o)] = num(get(`score_${o}`));
			return { method, scores };
		}
	}
}
