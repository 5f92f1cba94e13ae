/** Vote DTOs shared by the server and the pages (the rules themselves are in server/domain/votes.ts). */
import { z } from 'zod';

export type Method = 'yes_no' | 'single' | 'approval' | 'ranked' | 'score' | 'consent';
export const METHODS: Method[] = ['yes_no', 'single', 'approval', 'ranked', 'score', 'consent'];
export type Eligibility = 'members' | 'group' | 'organisations';
export type ResultsVisibility = 'live' | 'after_voting' | 'after_close';
export type Threshold = 'simple' | 'two_thirds' | 'absolute';
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
	openedAt: number | null;
	closedAt: number | null;
	tally: VoteTally;
	/** The viewer's part: may they vote, have they (their organisation) voted, their own ballot on open votes. */
	me: {
		eligible: boolean;
		voted: boolean;
		/** Open votes: the ballot as cast, to change it. Secret votes: never (the server cannot know it). */
		ballot: Ballot | null;
		/** Open votes: the receipt of the ballot as cast (kept when it is changed). Secret votes: never. */
		receipt: string | null;
		/** Organisation votes: the organisation the viewer casts for. */
		organisation: { id: number; name: string } | null;
	};
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
	draft: { id: number; title: string; number: number | null; hash: string | null } | null;
	amendmentId: number | null;
	/** The meeting the vote was held in. */
	meeting: { id: number; title: string } | null;
	decidedAt: number;
}

/** Receipt codes: 12 characters of Crockford's base32 in three groups (60 random bits). */
export const RECEIPT_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const optionId = z.number().int().min(1).max(1000);

/** A ballot as it arrives from a page or a socket; the vote's own rules are checked after (server/domain/votes.ts). */
export const ballotSchema = z.discriminatedUnion('method', [
	z.object({ method: z.literal('yes_no'), choice: z.enum(['yes', 'no', 'abstain']) }),
	z.object({ method: z.literal('single'), option: optionId }),
	z.object({ method: z.literal('approval'), options: z.array(optionId).max(50) }),
	z.object({ method: z.literal('ranked'), ranking: z.array(optionId).max(50) }),
	z.object({ method: z.literal('score'), scores: z.record(z.string().regex(/^\d{1,4}$/), z.number().int().min(0).max(5)) }),
	z.object({ method: z.literal('consent'), choice: z.enum(['agree', 'abstain', 'object', 'block']), reason: z.string().max(2000).optional() })
]);

/** Reads a ballot from a submitted ballot form (field names as the vote page writes them); null when nothing is chosen. */
export function ballotFromForm(method: Method, get: (key: string) => string, getAll: (key: string) => string[]): Ballot | null {
	const num = (v: string) => (/^\d{1,4}$/.test(v) ? Number(v) : NaN);
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
			for (const o of getAll('scored')) scores[num(o)] = num(get(`score_${o}`));
			return { method, scores };
		}
	}
}
