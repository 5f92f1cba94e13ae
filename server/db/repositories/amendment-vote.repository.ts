import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** Records the amendments a vote decides between, each with the ballot option standing for it. */
export async function insertVoteAmendments(db: Conn, voteId: number, rows: { amendmentId: number; optionId: number }[]): Promise<void> {
	if (!rows.length) return;
	await db
		.insertInto('vote_amendments')
		.values(rows.map((r) => ({ vote_id: voteId, amendment_id: r.amendmentId, option_id: r.optionId })))
		.execute();
}

/** The amendments a vote decides between, in option order (empty for every other vote). */
export function voteAmendments(db: Conn, voteId: number) {
	return db.selectFrom('vote_amendments').select(['amendment_id', 'option_id']).where('vote_id', '=', voteId).orderBy('option_id').execute();
}
