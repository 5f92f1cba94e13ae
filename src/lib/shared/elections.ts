/**
 * Elections as the browser and the server both see them: a ranked vote with seats, counted by STV (stv.ts), with a
 * candidacy period before it opens. The rules a new election and a candidacy are checked by.
 */
import type { Eligibility } from './votes.js';

export const MAX_SEATS = 20;
export const MAX_STATEMENT = 600;

export interface Candidate {
	userId: number;
	name: string;
	statement: string;
	/** The candidate's option on the ballot, once the election has opened. */
	optionId: number | null;
}

/** What a vote page shows of an election: seats, the candidacy period, the candidates and the reader's part. */
export interface ElectionView {
	seats: number;
	/** Candidates may stand (or withdraw) until the vote opens, at `closesAt` when it is scheduled. */
	candidacy: { open: boolean; closesAt: number | null };
	candidates: Candidate[];
	me: { standing: boolean; mayStand: boolean };
}

/** Problems of an election's own fields (message codes by field), beside the vote's. */
export function electionProblems(e: { seats: number; eligibility: Eligibility; opensAt: number | null }, now: number, inMeeting = false): Record<string, string> {
	const p: Record<string, string> = {};
	if (!Number.isInteger(e.seats) || e.seats < 1 || e.seats > MAX_SEATS) p.seats = 'invalid_seats';
	if (e.eligibility === 'organisations') p.eligibility = 'not_for_elections';
	// The candidacy period ends when the vote opens: an election needs that moment, in the future; in a meeting, the
	// chair opens it from the room when the candidates have stood.
	if (inMeeting) return p;
	if (e.opensAt === null) p.opensAt = 'candidacy_deadline_required';
	else if (e.opensAt <= now) p.opensAt = 'in_the_past';
	return p;
}

/**
 * Why an election cannot open with this many candidates (a message code), or null: its candidates become the ballot's
 * options, and a ballot with none elects nobody.
 */
export function openingProblem(candidates: number): 'no_candidates' | null {
	return candidates > 0 ? null : 'no_candidates';
}

/** Why a statement cannot be filed (a message code), or null. */
export function statementProblem(statement: string): string | null {
	const s = statement.trim();
	if (!s) return 'required';
	return s.length > MAX_STATEMENT ? 'too_long' : null;
}
