import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxRow } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertMail(db: Conn, mail: { to_address: string; locale: string; subject: string; body: string; created_at: number }): Promise<number> {
	const row = await db.insertInto('outbox').values(mail).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export function pendingMail(db: Conn, maxAttempts: number, limit = 50): Promise<OutboxRow[]> {
	return db
		.selectFrom('outbox')
		.selectAll()
		.where('sent_at', 'is', null)
		.where('attempts', '<', maxAttempts)
		.orderBy('id')
		.limit(limit)
		.execute();
}

export async function markSent(db: Conn, id: number, now: number): Promise<void> {
	await db.updateTable('outbox').set((eb) => ({ sent_at: now, attempts: eb('attempts', '+', 1), last_error: null })).where('id', '=', id).execute();
}

export async function markFailed(db: Conn, id: number, error: string): Promise<void> {
	await db.updateTable('outbox').set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 500) })).where('id', '=', id).execute();
}

export function listOutbox(db: Conn, limit: number, offset: number): Promise<OutboxRow[]> {
	return db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countOutbox(db: Conn): Promise<number> {
	const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function deleteMail(db: Conn, id: number): Promise<void> {
	await db.deleteFrom('outbox').where('id', '=', id).execute();
}

/** Every mail to an address, sent or waiting (an account deleted: its mail is personal data, and must not go out). */
export async function deleteMailTo(db: Conn, address: string): Promise<number> {
	const res = await db.deleteFrom('outbox').where('to_address', '=', address).executeTakeFirst();
	return Number(res.numDeletedRows);
}

/** Mail not yet sent: still being tried, and given up after `maxAttempts`. */
export async function outboxTotals(db: Conn, maxAttempts: number): Promise<{ pending: number; failed: number }> {
	const row = await db
		.selectFrom('outbox')
		.where('sent_at', 'is', null)
		.select((eb) => [
			eb.fn.countAll<number>().filterWhere('attempts', '<', maxAttempts).as('pending'),
			eb.fn.countAll<number>().filterWhere('attempts', '>=', maxAttempts).as('failed')
		])
		.executeTakeFirstOrThrow();
	return { pending: Number(row.pending), failed: Number(row.failed) };
}

/** The newest mail whose last delivery failed and that is still unsent, newest first. */
export function recentMailFailures(db: Conn, limit: number): Promise<Pick<OutboxRow, 'id' | 'to_address' | 'subject' | 'created_at' | 'attempts' | 'last_error'>[]> {
	return db
		.selectFrom('outbox')
		.select(['id', 'to_address', 'subject', 'created_at', 'attempts', 'last_error'])
		.where('sent_at', 'is', null)
		.where('last_error', 'is not', null)
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}

/** Whether one mail went out, and the last error if it did not. */
export function mailDelivery(db: Conn, id: number): Promise<Pick<OutboxRow, 'sent_at' | 'last_error'> | undefined> {
	return db.selectFrom('outbox').select(['sent_at', 'last_error']).where('id', '=', id).executeTakeFirst();
}
