import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import { shownName } from '../../domain/people.js';
import type { Candidate } from '../../../src/lib/shared/elections.js';
import type { VoteOption } from '../../../src/lib/shared/votes.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** An election's candidates, in ballot order once it has opened, by name before. */
export async function candidatesOf(db: Conn, voteId: number): Promise<Candidate[]> {
	const rows = await db
		.selectFrom('vote_candidates as c')
		.innerJoin('users as u', 'u.id', 'c.user_id')
		.select(['c.user_id', 'c.statement', 'c.option_id', 'u.display_name', 'u.status'])
		.where('c.vote_id', '=', voteId)
		.orderBy('c.option_id')
		.orderBy('u.display_name')
		.orderBy('c.user_id')
		.execute();
	return rows.map((r) => ({ userId: r.user_id, name: shownName(r.display_name, r.status) ?? '', statement: r.statement, optionId: r.option_id }));
}

/** Files a candidacy; false when this member already stands. */
export async function insertCandidate(db: Conn, c: { voteId: number; userId: number; statement: string; now: number }): Promise<boolean> {
	const r = await db
		.insertInto('vote_candidates')
		.values({ vote_id: c.voteId, user_id: c.userId, statement: c.statement, created_at: c.now })
		.onConflict((oc) => oc.columns(['vote_id', 'user_id']).doNothing())
		.executeTakeFirst();
	return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Withdraws a candidacy; false when there was none. */
export async function deleteCandidate(db: Conn, voteId: number, userId: number): Promise<boolean> {
	const r = await db.deleteFrom('vote_candidates').where('vote_id', '=', voteId).where('user_id', '=', userId).where('option_id', 'is', null).executeTakeFirst();
	return Number(r.numDeletedRows) === 1;
}

/** Whether a member belongs to a group (a group's election takes its candidates from its members). */
export async function isGroupMember(db: Conn, groupId: number, userId: number): Promise<boolean> {
	return !!(await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst());
}

/**
 * At opening: the candidates still active become the ballot's options, ids 1..n in the order of their names (the order
 * the ballot lists them), and each candidacy keeps its option. Returns the options written.
 */
export async function candidatesToOptions(db: Conn, voteId: number): Promise<VoteOption[]> {
	const rows = await db
		.selectFrom('vote_candidates as c')
		.innerJoin('users as u', 'u.id', 'c.user_id')
		.select(['c.user_id', 'u.display_name'])
		.where('c.vote_id', '=', voteId)
		.where('u.status', '=', 'active')
		.orderBy('u.display_name')
		.orderBy('c.user_id')
		.execute();
	const options = rows.map((r, i) => ({ id: i + 1, label: r.display_name }));
	for (const [i, r] of rows.entries()) await db.updateTable('vote_candidates').set({ option_id: i + 1 }).where('vote_id', '=', voteId).where('user_id', '=', r.user_id).execute();
	await db.updateTable('votes').set({ options: JSON.stringify(options) }).where('id', '=', voteId).execute();
	return options;
}
