import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The member's calendar link, if they have one (its hash never leaves the service). */
export function findLinkOf(db: Conn, userId: number) {
	return db.selectFrom('calendar_links').select(['created_at', 'last_used_at']).where('user_id', '=', userId).executeTakeFirst();
}

/** Gives the member a link, replacing (so revoking) the one they had. */
export async function replaceLink(db: Conn, userId: number, tokenHash: string, now: number): Promise<void> {
	await db.deleteFrom('calendar_links').where('user_id', '=', userId).execute();
	await db.insertInto('calendar_links').values({ user_id: userId, token_hash: tokenHash, created_at: now, last_used_at: null }).execute();
}

export async function deleteLinkOf(db: Conn, userId: number): Promise<boolean> {
	const res = await db.deleteFrom('calendar_links').where('user_id', '=', userId).executeTakeFirst();
	return Number(res.numDeletedRows) > 0;
}

/** The member a link's hash belongs to, with their account as it is now (status and role decide what they see). */
export function findUserByLink(db: Conn, tokenHash: string) {
	return db
		.selectFrom('calendar_links as l')
		.innerJoin('users as u', 'u.id', 'l.user_id')
		.selectAll('u')
		.where('l.token_hash', '=', tokenHash)
		.executeTakeFirst();
}

export async function touchLink(db: Conn, tokenHash: string, now: number): Promise<void> {
	await db.updateTable('calendar_links').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute();
}
