/**
 * The meeting's record, pure: the objections a closed consent round hands on to the next meeting, and what the
 * minutes say of attendance, items and speeches, read from the meeting's log. No I/O; times are given.
 */
import type { Ballot } from '../../src/lib/shared/votes.js';

export interface StoredBallot {
	receipt: string;
	ballot: Ballot;
	unit: string | null;
}

export interface Objection {
	kind: 'object' | 'block';
	reason: string;
	/** Who objected: on open rounds only (a secret ballot names nobody). */
	authorUnit: string | null;
}

/**
 * The objections and blocks standing when a consent round closed (one whose author changed the ballot before
 * closing is withdrawn: it is no longer an objection), in receipt order (random, never the order of casting); and
 * every consent ballot that still holds a reason, as it is stored from now on: without it.
 */
export function objectionsOf(ballots: StoredBallot[], secret: boolean): { standing: Objection[]; stripped: StoredBallot[] } {
	const standing: Objection[] = [];
	const stripped: StoredBallot[] = [];
	for (const b of ballots) {
		if (b.ballot.method !== 'consent') continue;
		const reason = (b.ballot.reason ?? '').trim();
		if ((b.ballot.choice === 'object' || b.ballot.choice === 'block') && reason) standing.push({ kind: b.ballot.choice, reason, authorUnit: secret ? null : b.unit });
		if (b.ballot.reason !== undefined) stripped.push({ ...b, ballot: { method: 'consent', choice: b.ballot.choice } });
	}
	return { standing, stripped };
}

export interface LogEvent {
	at: number;
	kind: 'opened' | 'closed' | 'checked_in' | 'checked_out' | 'item_started' | 'item_ended';
	userId: number | null;
	itemId: number | null;
	name: string | null;
}

export interface Presence {
	userId: number;
	name: string;
	/** Each stay: checked in at `from`, out at `to` (null: still there when the meeting closed). */
	stays: { from: number; to: number | null }[];
}

/** Who was there and when, from the log's check-ins and check-outs, by name. */
export function attendanceOf(log: LogEvent[]): Presence[] {
	const people = new Map<number, Presence>();
	for (const e of log) {
		if (e.userId === null || (e.kind !== 'checked_in' && e.kind !== 'checked_out')) continue;
		let p = people.get(e.userId);
		if (!p) people.set(e.userId, (p = { userId: e.userId, name: e.name ?? '', stays: [] }));
		const open = p.stays.at(-1);
		if (e.kind === 'checked_in' && (!open || open.to !== null)) p.stays.push({ from: e.at, to: null });
		if (e.kind === 'checked_out' && open && open.to === null) open.to = e.at;
	}
	return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** When an item was taken up: the first time it became current (null if the log never says). */
export function itemStart(log: LogEvent[], itemId: number): number | null {
	return log.find((e) => e.kind === 'item_started' && e.itemId === itemId)?.at ?? null;
}

/** Each speaker on an item once, with their speaking time added up over their speeches, in order of first speech. */
export function speakingTimes(speeches: { userId: number; name: string; startedAt: number; endedAt: number }[]): { name: string; ms: number }[] {
	const by = new Map<number, { name: string; ms: number }>();
	for (const s of speeches) {
		const t = by.get(s.userId) ?? { name: s.name, ms: 0 };
		t.ms += Math.max(0, s.endedAt - s.startedAt);
		by.set(s.userId, t);
	}
	return [...by.values()];
}
