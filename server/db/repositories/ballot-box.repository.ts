import type SQLite from 'better-sqlite3';
import type { Ballot, VoteResult, VoteStatus } from '../../../src/lib/shared/votes.js';
import type { Chamber, CountedBallot, ElectorateCount } from '../../../src/lib/shared/chambers.js';
import type { Db } from '../client.js';
import { parseResult } from './vote.repository.js';

/** A cast, as the ledger runs it. */
export interface CastEntry {
	voteId: number;
	userId: number;
	unit: string;
	ballot: Ballot;
	/** Two chambers: the chamber the unit votes in (written with a first ballot, never changed); null for one chamber. */
	chamber: Chamber | null;
	/** Cast by the holder of the unit's proxy: its frozen proxy is marked used, in place, with the ballot. */
	proxy?: boolean;
	/** A fresh receipt for a first ballot; for a secret vote's change, the receipt the voter holds. */
	receipt: string;
	/** Change a ballot already cast (by unit for open votes, by receipt and change key for secret ones). */
	replace: boolean;
	/** SHA-256 of the cast id, when the client sent one: a retry with the same id is answered with the first receipt. */
	castHash: string | null;
	/** SHA-256 of the change key: stored with a secret vote's first ballot, required to match for its change. */
	changeHash: string | null;
}

export type CastRefusal = 'closed' | 'not_eligible' | 'already_voted' | 'not_voted' | 'not_this_device' | 'cast_id_used';

/** A close, as the ledger runs it: `count` tallies the ballots (the domain's rule, passed in). */
export interface CloseEntry {
	voteId: number;
	actorId: number | null;
	now: number;
	count: (ballots: CountedBallot[], eligible: ElectorateCount) => VoteResult;
}

export type CloseRefusal = 'not_found' | 'not_open';

/** One job of a batch. */
export type BallotJob = ({ kind: 'cast'; entry: CastEntry } | { kind: 'close'; entry: CloseEntry }) & { secret: boolean };

/** What a job came to: a cast's receipt or a close's result, a refusal, or an error thrown while writing it. */
export type BallotOutcome =
	| { ok: true; value: { receipt: string } | CastRefusal | { result: VoteResult; newly: boolean } | CloseRefusal }
	| { ok: false; error: unknown };

/**
 * The ballot box, one interface with one implementation per database: a batch of casts and closes written in one
 * transaction in the order it arrived (BallotWriter serialises all writers through it), answered only once that
 * transaction has committed. On SQLite it runs synchronously on better-sqlite3 inside (SqliteBallotBox); on
 * PostgreSQL it seals secret ballots until closing (PostgresBallotBox, docs/secret-ballots-postgresql.md).
 */
export interface BallotBox {
	/** Writes the jobs in one transaction, in order: one outcome per job. Rejects when the transaction failed. */
	write(jobs: BallotJob[]): Promise<BallotOutcome[]>;
	/** The ballots of a vote as cast (with their chamber), for a live tally. */
	ballots(voteId: number): Promise<CountedBallot[]>;
	/** No more background work: the app is stopping (its database closes). */
	stop(): void;
}

/** What closing needs of a vote, as stored. */
export interface ClosingRow {
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

/** How long a truncation waits for a reader before giving up for now (the acknowledgements wait with it). */
const TRUNCATE_WAIT_MS = 20;
const TRUNCATE_RETRY_MS = 500;

/**
 * The ballot box on SQLite: casting and closing, synchronous on better-sqlite3 (a voter's acknowledgement waits for
 * nothing but the write). Secret ballots are written with no unit; nothing here records a time or an order.
 *
 * Secret ballots (DESIGN.md §3): writes sit in SQLite's WAL until a checkpoint, in the order they were made, so a
 * participation and its ballot written together could be paired by reading the WAL: after every batch holding secret
 * ballots the WAL is checkpointed and truncated. A reader elsewhere (a backup copying the file) can keep the log from
 * being truncated; the box does not wait for it with the ballots' acknowledgements held back, but tries again
 * shortly after, until the log is empty.
 */
export class SqliteBallotBox implements BallotBox {
	readonly #status: SQLite.Statement<[number], { status: VoteStatus; secret: number }>;
	readonly #active: SQLite.Statement<[number], { status: string }>;
	readonly #eligible: SQLite.Statement<[number, string], { unit: string }>;
	readonly #participate: SQLite.Statement<[number, string]>;
	readonly #participated: SQLite.Statement<[number, string], { unit: string }>;
	readonly #insertBallot: SQLite.Statement<[number, string, string, string | null, string | null, string | null, Chamber | null]>;
	readonly #byCast: SQLite.Statement<[number, string], { receipt: string; unit: string | null }>;
	readonly #updateByUnit: SQLite.Statement<[string, number, string]>;
	readonly #updateByReceipt: SQLite.Statement<[string, number, string, string]>;
	readonly #count: SQLite.Statement<[number]>;
	readonly #proxyUsed: SQLite.Statement<[number, string, number]>;
	readonly #closing: SQLite.Statement<[number], ClosingRow>;
	readonly #choices: SQLite.Statement<[number], { choice: string; chamber: Chamber | null }>;
	readonly #organisations: SQLite.Statement<[number], { n: number }>;
	readonly #close: SQLite.Statement<[string, number, number, number]>;
	readonly #decide: SQLite.Statement<[number, string, string, number | null, string, number | null, number | null, number | null, number | null, number]>;
	readonly #audit: SQLite.Statement<[number | null, string, string, string, number]>;
	readonly #announce: SQLite.Statement<[number, number]>;

	#retry: NodeJS.Timeout | null = null;
	#stopped = false;

	constructor(
		private readonly db: Db,
		readonly raw: SQLite.Database
	) {
		this.#status = raw.prepare('select status, secret from votes where id = ?');
		this.#active = raw.prepare('select status from users where id = ?');
		this.#eligible = raw.prepare('select unit from vote_eligible where vote_id = ? and unit = ?');
		// Participation is set in place on the frozen electorate, never inserted: nothing records when or in which order
		// members voted (see migrations/2026-12-06T2330_participation_in_place.ts).
		this.#participate = raw.prepare('update vote_eligible set voted = 1 where vote_id = ? and unit = ? and voted = 0');
		this.#participated = raw.prepare('select unit from vote_eligible where vote_id = ? and unit = ? and voted = 1');
		this.#insertBallot = raw.prepare('insert into vote_ballots (vote_id, receipt, choice, unit, cast_hash, change_hash, chamber) values (?, ?, ?, ?, ?, ?, ?)');
		this.#byCast = raw.prepare('select receipt, unit from vote_ballots where vote_id = ? and cast_hash = ?');
		this.#updateByUnit = raw.prepare('update vote_ballots set choice = ? where vote_id = ? and unit = ?');
		// A secret ballot changes only when its receipt and the hash of its change key both match (a ballot cast with
		// no key, change_hash null, never does).
		this.#updateByReceipt = raw.prepare('update vote_ballots set choice = ? where vote_id = ? and receipt = ? and change_hash = ? and unit is null');
		this.#count = raw.prepare('update votes set participants = participants + 1 where id = ?');
		this.#proxyUsed = raw.prepare('update vote_proxies set used = 1 where vote_id = ? and giver_unit = ? and holder_id = ? and used = 0');
		this.#closing = raw.prepare(
			'select id, title, status, group_id, visibility, thread_id, draft_version_id, amendment_id, meeting_id, eligible_count, result from votes where id = ?'
		);
		this.#choices = raw.prepare('select choice, chamber from vote_ballots where vote_id = ?');
		this.#organisations = raw.prepare("select count(*) as n from vote_eligible where vote_id = ? and unit like 'o:%'");
		this.#close = raw.prepare("update votes set status = 'closed', result = ?, participants = ?, closed_at = ? where id = ? and status = 'open'");
		this.#decide = raw.prepare(
			'insert into decisions (vote_id, title, outcome, group_id, visibility, thread_id, draft_version_id, amendment_id, meeting_id, decided_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
		);
		this.#audit = raw.prepare("insert into audit_log (actor_id, action, subject_type, subject_id, data, created_at) values (?, ?, 'vote', ?, ?, ?)");
		// recordWebhookEvent's row (webhook-event.repository.ts), written in this transaction as it writes it in Kysely's.
		this.#announce = raw.prepare("insert into webhook_events (type, subject_id, created_at) values ('vote.closed', ?, ?)");
	}

	/**
	 * Writes the batch in one immediate transaction, holding Kysely's connection so no other transaction interleaves;
	 * after a batch with a secret vote's jobs, empties the WAL.
	 */
	async write(jobs: BallotJob[]): Promise<BallotOutcome[]> {
		const outcomes: BallotOutcome[] = [];
		await this.db.connection().execute(async () => {
			this.raw
				.transaction(() => {
					for (const job of jobs) {
						try {
							outcomes.push({ ok: true, value: job.kind === 'cast' ? this.cast(job.entry) : this.#closeVote(job.entry) });
						} catch (error) {
							outcomes.push({ ok: false, error });
						}
					}
				})
				.immediate();
			if (jobs.some((j) => j.secret)) this.#truncateLog();
		});
		return outcomes;
	}

	async ballots(voteId: number): Promise<CountedBallot[]> {
		return this.#ballots(voteId);
	}

	#closeVote(c: CloseEntry): { result: VoteResult; newly: boolean } | CloseRefusal {
		const v = this.closingVote(c.voteId);
		if (!v) return 'not_found';
		if (v.status === 'closed' && v.result) return { result: v.result, newly: false };
		if (v.status !== 'open') return 'not_open';
		const organisations = this.#organisations.get(c.voteId)?.n ?? 0;
		const result = c.count(this.#ballots(c.voteId), { total: v.eligible_count, organisations, members: v.eligible_count - organisations });
		this.close(v, result, c.actorId, c.now);
		return { result, newly: true };
	}

	/** Checkpoints and truncates the WAL, waiting at most TRUNCATE_WAIT_MS for readers; tries again later if one stayed. */
	#truncateLog(): void {
		const raw = this.raw;
		const wait = raw.pragma('busy_timeout', { simple: true }) as number;
		raw.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
		try {
			const [result] = raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
			if (result?.busy) this.#truncateLater();
		} finally {
			raw.pragma(`busy_timeout = ${wait}`);
		}
	}

	#truncateLater(): void {
		if (this.#retry || this.#stopped) return;
		this.#retry = setTimeout(() => {
			this.#retry = null;
			if (this.#stopped) return;
			// On Kysely's connection, so no transaction of the app's is open on it meanwhile.
			void this.db
				.connection()
				.execute(async () => this.#truncateLog())
				.catch(() => this.#truncateLater());
		}, TRUNCATE_RETRY_MS);
		this.#retry.unref();
	}

	stop(): void {
		this.#stopped = true;
		if (this.#retry) clearTimeout(this.#retry);
	}

	/**
	 * One cast inside the caller's transaction: the receipt it is counted under when accepted, otherwise why not.
	 * Checks everything again at the moment of writing: the voter active and in the frozen electorate, the vote open,
	 * one ballot per unit. A first cast retried with its cast id is answered with the receipt it was written under,
	 * also after closing (it was counted): a ballot with that cast hash, cast by this unit — on a secret vote, where the
	 * ballot names nobody, by a unit that took part; the id is as secret as the receipt it returns.
	 */
	cast(c: CastEntry): { receipt: string } | CastRefusal {
		const vote = this.#status.get(c.voteId);
		if (!vote) return 'closed';
		const eligible = () => this.#active.get(c.userId)?.status === 'active' && !!this.#eligible.get(c.voteId, c.unit);
		const earlier = !c.replace && c.castHash ? this.#byCast.get(c.voteId, c.castHash) : undefined;
		if (earlier) {
			if (!eligible()) return 'not_eligible';
			return (vote.secret ? this.#participated.get(c.voteId, c.unit) : earlier.unit === c.unit) ? { receipt: earlier.receipt } : 'cast_id_used';
		}
		if (vote.status !== 'open') return 'closed';
		if (!eligible()) return 'not_eligible';
		if (c.replace) {
			if (!this.#participated.get(c.voteId, c.unit)) return 'not_voted';
			const choice = JSON.stringify(c.ballot);
			if (vote.secret) return c.changeHash && this.#updateByReceipt.run(choice, c.voteId, c.receipt, c.changeHash).changes === 1 ? { receipt: c.receipt } : 'not_this_device';
			return this.#updateByUnit.run(choice, c.voteId, c.unit).changes === 1 ? { receipt: c.receipt } : 'not_voted';
		}
		if (this.#participate.run(c.voteId, c.unit).changes === 0) return 'already_voted';
		this.#insertBallot.run(c.voteId, c.receipt, JSON.stringify(c.ballot), vote.secret ? null : c.unit, c.castHash, vote.secret ? c.changeHash : null, c.chamber);
		this.#count.run(c.voteId);
		if (c.proxy) this.#proxyUsed.run(c.voteId, c.unit, c.userId);
		return { receipt: c.receipt };
	}

	closingVote(voteId: number): ClosingVote | undefined {
		const row = this.#closing.get(voteId);
		return row && { ...row, result: parseResult(row.result) };
	}

	#ballots(voteId: number): CountedBallot[] {
		return this.#choices.all(voteId).map((r) => ({ ballot: JSON.parse(r.choice) as Ballot, chamber: r.chamber }));
	}

	/** Closes an open vote with its result and writes the decision; false when it was not open any more. */
	close(v: ClosingVote, result: VoteResult, actorId: number | null, now: number): boolean {
		if (this.#close.run(JSON.stringify(result), result.participants, now, v.id).changes !== 1) return false;
		this.#decide.run(v.id, v.title, result.outcome, v.group_id, v.visibility, v.thread_id, v.draft_version_id, v.amendment_id, v.meeting_id, now);
		this.audit(actorId, 'vote.closed', v.id, { participants: result.participants, eligible: v.eligible_count }, now);
		this.#announce.run(v.id, now);
		return true;
	}

	/** The audit trail of a vote: opening, closing, counts. Never a choice or a voter. */
	audit(actorId: number | null, action: string, voteId: number, data: object, now: number): void {
		this.#audit.run(actorId, action, String(voteId), JSON.stringify(data), now);
	}
}
