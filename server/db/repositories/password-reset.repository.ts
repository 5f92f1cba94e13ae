import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertReset(db: Conn, row: { id: string; user_id: number; created_at: number; expires_at: number }): Promise<void> {
	await db.insertInto('password_resets').values({ ...row, used_at: null }).execute();
}

export function findReset(db: Conn, id: string) {
	return db.selectFrom('password_resets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a valid, unused token used; false when it was already used or has expired. */
export async function consumeReset(db: Conn, id: string, now: number): Promise<boolean> {
	const res = await db
		.updateTable('password_resets')
		.set({ used_at: now })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

/** Voids every unused link of the account (a newer link, a password change or a sign-out everywhere came after it). */
export async function voidResets(db: Conn, userId: number, now: number): Promise<number> {
	const res = await db.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
	return Number(res.numUpdatedRows);
}
