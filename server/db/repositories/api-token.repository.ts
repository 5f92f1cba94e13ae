import type { Kysely, Transaction } from 'kysely';
import type { ApiTokenRow, Database, UserRow } from '../database.js';
import { prepared } from '../prepared.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertApiToken(db: Conn, row: { user_id: number; token_hash: string; name: string; created_at: number }): Promise<number> {
	const inserted = await db
		.insertInto('api_tokens')
		.values({ ...row, last_used_at: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return Number(inserted.id);
}

export function countApiTokens(db: Conn, userId: number): Promise<number> {
	return db
		.selectFrom('api_tokens')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('user_id', '=', userId)
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));
}

export function listApiTokens(db: Conn, userId: number): Promise<ApiTokenRow[]> {
	return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Deletes one of a member's tokens; answers whether there was one. */
export async function deleteApiToken(db: Conn, userId: number, id: number): Promise<boolean> {
	const res = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
	return Number(res.numDeletedRows) > 0;
}

/** What reading as a token's member needs of them: who they are and what they may do (toActor, toViewer). */
export type TokenMember = Pick<UserRow, 'id' | 'role' | 'status' | 'display_name' | 'email' | 'locale' | 'time_zone'>;

// Built and compiled once, and only the columns authenticating reads (not the password's hash, the profile, the
// settings): this runs on every request with a token, and Kysely building it took as long as SQLite running it.
const tokenWithMember = prepared((db, p: { tokenHash: string }) =>
	db
		.selectFrom('api_tokens as t')
		.innerJoin('users as u', 'u.id', 't.user_id')
		.select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.role', 'u.status', 'u.display_name', 'u.email', 'u.locale', 'u.time_zone'])
		.where('t.token_hash', '=', p.tokenHash)
		.compile()
);

/** The token (its id and last use) with its member, by the token's hash. */
export async function findApiTokenWithUser(db: Conn, tokenHash: string): Promise<{ token: Pick<ApiTokenRow, 'id' | 'last_used_at'>; user: TokenMember } | undefined> {
	const [row] = (await tokenWithMember(db, { tokenHash })).rows;
	if (!row) return undefined;
	return {
		token: { id: row.token_id, last_used_at: row.last_used_at },
		user: { id: row.id, role: row.role, status: row.status, display_name: row.display_name, email: row.email, locale: row.locale, time_zone: row.time_zone }
	};
}

export async function touchApiToken(db: Conn, id: number, now: number): Promise<void> {
	await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
