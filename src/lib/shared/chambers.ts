/**
 * Two chambers (double majority), the shapes both sides use: a vote counted among organisations (one ballot per
 * member organisation, cast by one of its representatives) and among individual members at once. Each chamber has
 * its own electorate (frozen at opening), quorum and threshold; the motion passes only when it passes in both. The
 * counting is count.ts, around the vote's ordinary tally.
 */
import type { Quorum } from './vote-input.js';
import type { Ballot, Method, Threshold } from './votes.js';

export const CHAMBERS = ['organisations', 'members'] as const;
export type Chamber = (typeof CHAMBERS)[number];

/** A chamber's own rules. */
export interface ChamberRules {
	quorum: Quorum;
	threshold: Threshold;
}

/** What a two-chamber vote stores beside its own rules (which are the members' chamber's): the organisations' rules. */
export interface ChambersSetting {
	organisations: ChamberRules;
}

/** Methods whose outcome is "passed or not", the only ones a double majority can combine. */
export const CHAMBER_METHODS: readonly Method[] = ['yes_no', 'consent'];

/** The chamber a voting unit ('o:3', 'u:12') belongs to. */
export const chamberOfUnit = (unit: string): Chamber => (unit.startsWith('o:') ? 'organisations' : 'members');

/** The electorate's size, in all and per chamber (a vote of one chamber has its whole electorate in one of them). */
export interface ElectorateCount {
	total: number;
	organisations: number;
	members: number;
}

/** A ballot as counted: its choice and, on a vote of two chambers, its chamber. */
export interface CountedBallot {
	ballot: Ballot;
	chamber: Chamber | null;
}
