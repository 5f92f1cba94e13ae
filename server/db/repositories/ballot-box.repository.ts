import type SQLite from 'better-sqlite3';
import type { Ballot, VoteResult, VoteStatus } from '../../../src/lib/shared/votes.js';
import { parseResult } from './vote.repository.js';

/** A cast, as the ledger runs it. */
export interface CastEntry {
	voteId: number;
	userId: number;
	unit: string;
	ballot: Ballot;
	/** A fresh receipt for a first ballot; for a secret vote's change, the receipt the voter holds. */
	receipt: string;
	/** Change a ballot already cast (by unit for open votes, by receipt for secret ones). */
	replace: boolean;
}

export type CastRefusal = 'closed' | 'not_eligible' | 'already_voted' | 'not_voted' | 'receipt_unknown';

/** What closing needs of a vote, as stored. */
interface ClosingRow {
	id: number;
	title: string;
	status: VoteStatus;
	group_id: number | null;
	visibility: 'public' | 'members';
	thread_id: number | null;
	draft_version_id: number | null;
	amendment_id: number | null;
	meeting_id: number | null;
	eligible_count: number;
	result: string | null;
}

/** What closing needs of a vote. */
export type ClosingVote = Omit<ClosingRow, 'result'> & { result: VoteResult | null };

/**
 * The ballot box: casting and closing, synchronous on better-sqlite3 so that a batch of casts and closes runs in one
 * transaction in the order it arrived (BallotWriter serialises all writers through it). Secret ballots are written
 * with no unit; nothing here records a time or an order.
 */
export class BallotBox {
	readonly #status: SQLite.Statement<[number], { status: VoteStatus; secret: number }>;
	readonly #active: SQLite.Statement<[number], { status: string }>;
	readonly #eligible: SQLite.Statement<[number, string], { unit: string }>;
	readonly #participate: SQLite.Statement<[number, string]>;
	readonly #participated: SQLite.Statement<[number, string], { unit: string }>;
	readonly #insertBallot: SQLite.Statement<[number, string, string, string | null]>;
	readonly #updateByUnit: SQLite.Statement<[string, number, string]>;
	readonly #updateByReceipt: SQLite.Statement<[string, number, string]>;
	readonly #count: SQLite.Statement<[number]>;
	readonly #closing: SQLite.Statement<[number], ClosingRow>;
	readonly #choices: SQLite.Statement<[number], { choice: string }>;
	readonly #close: SQLite.Statement<[string, number, number, number]>;
	readonly #decide: SQLite.Statement<[number, string, string, number | null, string, number | null, number | null, number | null, number | null, number]>;
	readonly #audit: SQLite.Statement<[number | null, string, string, string, number]>;

	constructor(readonly raw: SQLite.Database) {
		this.#status = raw.prepare('select status, secret from votes where id = ?');
		this.#active = raw.prepare('select status from users where id = ?');
		this.#eligible = raw.prepare('select unit from vote_eligible where vote_id = ? and unit = ?');
		this.#participate = raw.prepare('insert or ignore into vote_participants (vote_id, unit) values (?, ?)');
		this.#participated = raw.prepare('select unit from vote_participants where vote_id = ? and unit = ?');
		this.#insertBallot = raw.prepare('insert into vote_ballots (vote_id, receipt, choice, unit) values (?, ?, ?, ?)');
		this.#updateByUnit = raw.prepare('update vote_ballots set choice = ? where vote_id = ? and unit = ?');
		this.#updateByReceipt = raw.prepare('update vote_ballots set choice = ? where vote_id = ? and receipt = ? and unit is null');
		this.#count = raw.prepare('update votes set participants = participants + 1 where id = ?');
		this.#closing = raw.prepare(
			'select id, title, status, group_id, visibility, thread_id, draft_version_id, amendment_id, meeting_id, eligible_count, result from votes where id = ?'
		);
		this.#choices = raw.prepare('select choice from vote_ballots where vote_id = ?');
		this.#close = raw.prepare("update votes set status = 'closed', result = ?, participants = ?, closed_at = ? where id = ? and status = 'open'");
		this.#decide = raw.prepare(
			'insert into decisions (vote_id, title, outcome, group_id, visibility, thread_id, draft_version_id, amendment_id, meeting_id, decided_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
		);
		this.#audit = raw.prepare("insert into audit_log (actor_id, action, subject_type, subject_id, data, created_at) values (?, ?, 'vote', ?, ?, ?)");
	}

	/** Runs `work` in one immediate transaction. */
	transaction<T>(work: () => T): T {
		return this.raw.transaction(work).immediate();
	}

	/** One cast inside the caller's transaction: null when accepted, otherwise why not. Checks everything again at
	 * the moment of writing: the vote is open, the voter active and in the frozen electorate, one ballot per unit. */
	cast(c: CastEntry): CastRefusal | null {
		const vote = this.#status.get(c.voteId);
		if (!vote || vote.status !== 'open') return 'closed';
		if (this.#active.get(c.userId)?.status !== 'active' || !this.#eligible.get(c.voteId, c.unit)) return 'not_eligible';
		if (c.replace) {
			if (!this.#participated.get(c.voteId, c.unit)) return 'not_voted';
			const choice = JSON.stringify(c.ballot);
			const changed = vote.secret ? this.#updateByReceipt.run(choice, c.voteId, c.receipt) : this.#updateByUnit.run(choice, c.voteId, c.unit);
			return changed.changes === 1 ? null : 'receipt_unknown';
		}
		if (this.#participate.run(c.voteId, c.unit).changes === 0) return 'already_voted';
		this.#insertBallot.run(c.voteId, c.receipt, JSON.stringify(c.ballot), vote.secret ? null : c.unit);
		this.#count.run(c.voteId);
		return null;
	}

	closingVote(voteId: number): ClosingVote | undefined {
		const row = this.#closing.get(voteId);
		return row && { ...row, result: parseResult(row.result) };
	}

	/** The ballots of a vote as cast, for a tally. */
	ballots(voteId: number): Ballot[] {
		return this.#choices.all(voteId).map((r) => JSON.parse(r.choice) as Ballot);
	}

	/** Closes an open vote with its result and writes the decision; false when it was not open any more. */
	close(v: ClosingVote, result: VoteResult, actorId: number | null, now: number): boolean {
		if (this.#close.run(JSON.stringify(result), result.participants, now, v.id).changes !== 1) return false;
		this.#decide.run(v.id, v.title, result.outcome, v.group_id, v.visibility, v.thread_id, v.draft_version_id, v.amendment_id, v.meeting_id, now);
		this.audit(actorId, 'vote.closed', v.id, { participants: result.participants, eligible: v.eligible_count }, now);
		return true;
	}

	/** The audit trail of a vote: opening, closing, counts. Never a choice or a voter. */
	audit(actorId: number | null, action: string, voteId: number, data: object, now: number): void {
		this.#audit.run(actorId, action, String(voteId), JSON.stringify(data), now);
	}
}
