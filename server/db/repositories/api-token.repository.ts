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

// Built and compiled once: this runs on every request with a token, and Kysely building it took as long as SQLite
// running it.
const tokenWithUser = prepared((db, p: { tokenHash: string }) =>
	db
		.selectFrom('api_tokens')
		.innerJoin('users', 'users.id', 'api_tokens.user_id')
		.select([
			'api_tokens.id as t_id',
			'api_tokens.user_id as t_user_id',
			'api_tokens.token_hash as t_token_hash',
			'api_tokens.name as t_name',
			'api_tokens.created_at as t_created_at',
			'api_tokens.last_used_at as t_last_used_at'
		])
		.selectAll('users')
		.where('api_tokens.token_hash', '=', p.tokenHash)
		.compile()
);

/** The token with its member, by the token's hash. */
export async function findApiTokenWithUser(db: Conn, tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
	const [row] = (await tokenWithUser(db, { tokenHash })).rows;
	if (!row) return undefined;
	const { t_id, t_user_id, t_token_hash, t_name, t_created_at, t_last_used_at, ...user } = row;
	return {
		token: { id: t_id, user_id: t_user_id, token_hash: t_token_hash, name: t_name, created_at: t_created_at, last_used_at: t_last_used_at },
		user
	};
}

export async function touchApiToken(db: Conn, id: number, now: number): Promise<void> {
	await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
