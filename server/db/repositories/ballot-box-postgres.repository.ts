import type { Transaction } from 'kysely';
import type { Ballot, VoteResult } from '../../../src/lib/shared/votes.js';
import type { Database } from '../database.js';
import type { Db } from '../client.js';
import type { BallotSeal } from '../ballots/ballot-seal.js';
import { insertAudit } from './membership.repository.js';
import { electorateCount, parseResult } from './vote.repository.js';
import { recordWebhookEvent } from './webhook-event.repository.js';
import type { Chamber, CountedBallot } from '../../../src/lib/shared/chambers.js';
import type { BallotBox, BallotJob, BallotOutcome, CastEntry, CastRefusal, CloseEntry, CloseRefusal } from './ballot-box.repository.js';

type Trx = Transaction<Database>;

/** How many ballots one insert statement carries when a closing secret vote's ballots are written unsealed. */
const UNSEAL_CHUNK = 1000;

/**
 * A secret ballot of an open vote as PostgreSQL stores it: receipt, choice and the cast id's hash sealed together, the
 * columns it is found by holding keyed hashes, no unit. Also how migrate-to-postgres writes the open secret votes'
 * ballots it moves from SQLite (server/db/move-to-postgres.ts).
 */
export function sealedBallotRow(
	seal: BallotSeal,
	voteId: number,
	b: { receipt: string; choice: string; castHash: string | null; changeHash: string | null; chamber: Chamber | null }
): { vote_id: number; receipt: string; choice: string; unit: null; chamber: null; cast_hash: string | null; change_hash: string | null } {
	return {
		vote_id: voteId,
		receipt: seal.lookup(voteId, 'receipt', b.receipt),
		choice: seal.seal(voteId, { receipt: b.receipt, choice: b.choice, castHash: b.castHash, chamber: b.chamber }),
		unit: null,
		chamber: null,
		cast_hash: b.castHash && seal.lookup(voteId, 'cast', b.castHash),
		change_hash: b.changeHash && seal.lookup(voteId, 'change', b.changeHash)
	};
}

/**
 * The ballot box on PostgreSQL: the same promises as on SQLite (SqliteBallotBox), in one transaction per batch on
 * one pooled connection.
 * - One ballot per unit when casts race, from this node or another: the participation flag is set with
 *   `voted = 0` in the condition, in the transaction that writes the ballot; a second transaction setting it waits on
 *   the row's lock and then finds nothing to set.
 * - A close counts exactly the ballots committed before it: casts and closes lock the vote's row first, so a cast
 *   on another node waits for a close (and then finds the vote closed), and a close waits for the casts under way.
 * - Acknowledged only after commit: the writer answers once `write` has returned.
 * - Secret ballots sealed until closing (BallotSeal; docs/secret-ballots-postgresql.md): the transaction ids, the
 *   row order and the write-ahead log would pair a participation with its ballot otherwise.
 */
export class PostgresBallotBox implements BallotBox {
	constructor(
		private readonly db: Db,
		private readonly seal: BallotSeal
	) {}

	async write(jobs: BallotJob[]): Promise<BallotOutcome[]> {
		return this.db.transaction().execute(async (trx) => {
			const outcomes: BallotOutcome[] = [];
			for (const job of jobs) outcomes.push({ ok: true, value: job.kind === 'cast' ? await this.#cast(trx, job.entry) : await this.#close(trx, job.entry) });
			return outcomes;
		});
	}

	async ballots(voteId: number): Promise<CountedBallot[]> {
		const rows = await this.db.selectFrom('vote_ballots').select(['choice', 'chamber']).where('vote_id', '=', voteId).execute();
		return rows.map((r) => this.#counted(voteId, r));
	}

	/** A stored ballot as counted: opened when sealed (its chamber is sealed with it while the vote is open). */
	#counted(voteId: number, r: { choice: string; chamber: CountedBallot['chamber'] }): CountedBallot {
		if (!this.seal.isSealed(r.choice)) return { ballot: JSON.parse(r.choice) as Ballot, chamber: r.chamber };
		const opened = this.seal.open(voteId, r.choice);
		return { ballot: JSON.parse(opened.choice) as Ballot, chamber: opened.chamber };
	}

	stop(): void {}

	/** As SqliteBallotBox.cast; a secret vote's ballot is sealed while the vote is open, and found by keyed hashes. */
	async #cast(trx: Trx, c: CastEntry): Promise<{ receipt: string } | CastRefusal> {
		const vote = await trx.selectFrom('votes').select(['status', 'secret']).where('id', '=', c.voteId).forUpdate().executeTakeFirst();
		if (!vote) return 'closed';
		const secret = vote.secret === 1;
		const sealed = secret && vote.status === 'open';
		const eligible = async () => {
			const user = await trx.selectFrom('users').select('status').where('id', '=', c.userId).executeTakeFirst();
			return user?.status === 'active' && !!(await this.#elector(trx, c, false));
		};
		const castKey = c.castHash && (sealed ? this.seal.lookup(c.voteId, 'cast', c.castHash) : c.castHash);
		const earlier =
			!c.replace && castKey
				? await trx.selectFrom('vote_ballots').select(['receipt', 'choice', 'unit']).where('vote_id', '=', c.voteId).where('cast_hash', '=', castKey).executeTakeFirst()
				: undefined;
		if (earlier) {
			if (!(await eligible())) return 'not_eligible';
			const receipt = sealed ? this.seal.open(c.voteId, earlier.choice).receipt : earlier.receipt;
			return (secret ? await this.#elector(trx, c, true) : earlier.unit === c.unit) ? { receipt } : 'cast_id_used';
		}
		if (vote.status !== 'open') return 'closed';
		if (!(await eligible())) return 'not_eligible';
		const choice = JSON.stringify(c.ballot);
		if (c.replace) {
			if (!(await this.#elector(trx, c, true))) return 'not_voted';
			if (!secret) {
				const changed = await trx.updateTable('vote_ballots').set({ choice }).where('vote_id', '=', c.voteId).where('unit', '=', c.unit).executeTakeFirst();
				return Number(changed.numUpdatedRows) === 1 ? { receipt: c.receipt } : 'not_voted';
			}
			if (!c.changeHash) return 'not_this_device';
			const receiptKey = this.seal.lookup(c.voteId, 'receipt', c.receipt);
			const row = await trx
				.selectFrom('vote_ballots')
				.select('choice')
				.where('vote_id', '=', c.voteId)
				.where('receipt', '=', receiptKey)
				.where('change_hash', '=', this.seal.lookup(c.voteId, 'change', c.changeHash))
				.where('unit', 'is', null)
				.forUpdate()
				.executeTakeFirst();
			if (!row) return 'not_this_device';
			const was = this.seal.open(c.voteId, row.choice);
			await trx
				.updateTable('vote_ballots')
				.set({ choice: this.seal.seal(c.voteId, { ...was, choice }) })
				.where('vote_id', '=', c.voteId)
				.where('receipt', '=', receiptKey)
				.execute();
			return { receipt: c.receipt };
		}
		const took = await trx.updateTable('vote_eligible').set({ voted: 1 }).where('vote_id', '=', c.voteId).where('unit', '=', c.unit).where('voted', '=', 0).executeTakeFirst();
		if (Number(took.numUpdatedRows) === 0) return 'already_voted';
		await trx
			.insertInto('vote_ballots')
			.values(
				secret
					? sealedBallotRow(this.seal, c.voteId, { receipt: c.receipt, choice, castHash: c.castHash, changeHash: c.changeHash, chamber: c.chamber })
					: { vote_id: c.voteId, receipt: c.receipt, choice, unit: c.unit, cast_hash: c.castHash, change_hash: null, chamber: c.chamber }
			)
			.execute();
		await trx
			.updateTable('votes')
			.set((eb) => ({ participants: eb('participants', '+', 1) }))
			.where('id', '=', c.voteId)
			.execute();
		if (c.proxy)
			await trx.updateTable('vote_proxies').set({ used: 1 }).where('vote_id', '=', c.voteId).where('giver_unit', '=', c.unit).where('holder_id', '=', c.userId).where('used', '=', 0).execute();
		return { receipt: c.receipt };
	}

	/** The unit in the vote's frozen electorate (having voted, when `voted`). */
	async #elector(trx: Trx, c: CastEntry, voted: boolean): Promise<boolean> {
		let q = trx.selectFrom('vote_eligible').select('unit').where('vote_id', '=', c.voteId).where('unit', '=', c.unit);
		if (voted) q = q.where('voted', '=', 1);
		return !!(await q.executeTakeFirst());
	}

	/**
	 * As SqliteBallotBox's close. A secret vote's sealed ballots are opened, deleted, and written again as new rows in
	 * receipt order (a random order), with their receipts and the hashes of their cast ids in the clear, so that
	 * receipts can be checked and retried casts answered after closing. New rows, not updates: an update's log record
	 * names the row it replaces, which was written beside its voter's participation.
	 */
	async #close(trx: Trx, c: CloseEntry): Promise<{ result: VoteResult; newly: boolean } | CloseRefusal> {
		const v = await trx
			.selectFrom('votes')
			.select(['id', 'title', 'status', 'secret', 'group_id', 'visibility', 'thread_id', 'draft_version_id', 'amendment_id', 'meeting_id', 'eligible_count', 'result'])
			.where('id', '=', c.voteId)
			.forUpdate()
			.executeTakeFirst();
		if (!v) return 'not_found';
		const earlier = parseResult(v.result);
		if (v.status === 'closed' && earlier) return { result: earlier, newly: false };
		if (v.status !== 'open') return 'not_open';
		const rows = await trx.selectFrom('vote_ballots').select(['choice', 'chamber']).where('vote_id', '=', v.id).execute();
		let counted: CountedBallot[] = [];
		if (v.secret !== 1) counted = rows.map((r) => ({ ballot: JSON.parse(r.choice) as Ballot, chamber: r.chamber }));
		else {
			const opened = rows.map((r) => this.seal.open(v.id, r.choice)).sort((a, b) => (a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0));
			await trx.deleteFrom('vote_ballots').where('vote_id', '=', v.id).execute();
			for (let i = 0; i < opened.length; i += UNSEAL_CHUNK) {
				const chunk = opened.slice(i, i + UNSEAL_CHUNK);
				await trx
					.insertInto('vote_ballots')
					.values(chunk.map((o) => ({ vote_id: v.id, receipt: o.receipt, choice: o.choice, unit: null, cast_hash: o.castHash, change_hash: null, chamber: o.chamber })))
					.execute();
			}
			counted = opened.map((o) => ({ ballot: JSON.parse(o.choice) as Ballot, chamber: o.chamber }));
		}
		const { organisations } = await electorateCount(trx, v.id);
		const result = c.count(counted, { total: v.eligible_count, organisations, members: v.eligible_count - organisations });
		await trx
			.updateTable('votes')
			.set({ status: 'closed', result: JSON.stringify(result), participants: result.participants, closed_at: c.now })
			.where('id', '=', v.id)
			.execute();
		await trx
			.insertInto('decisions')
			.values({
				vote_id: v.id,
				title: v.title,
				outcome: result.outcome,
				group_id: v.group_id,
				visibility: v.visibility,
				thread_id: v.thread_id,
				draft_version_id: v.draft_version_id,
				amendment_id: v.amendment_id,
				meeting_id: v.meeting_id,
				decided_at: c.now
			})
			.execute();
		await insertAudit(trx, {
			actor_id: c.actorId,
			action: 'vote.closed',
			subject_type: 'vote',
			subject_id: String(v.id),
			data: { participants: result.participants, eligible: v.eligible_count },
			created_at: c.now
		});
		await recordWebhookEvent(trx, 'vote.closed', v.id, c.now);
		return { result, newly: true };
	}
}
