import type { Kysely, Transaction } from 'kysely';
import type { Database, WebhookEventRow } from '../database.js';
import type { RecordedEvent } from '../../domain/webhooks.js';

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * Records that something webhooks announce happened, in the transaction of the change itself: the event is committed
 * with the change or rolled back with it, and waits here for the node that sends webhooks however that node is
 * stopped. (SqliteBallotBox writes the same row with a statement of its own, inside its better-sqlite3 transaction.)
 */
export async function recordWebhookEvent(db: Conn, type: RecordedEvent, subjectId: number, at: number): Promise<void> {
	await db.insertInto('webhook_events').values({ type, subject_id: subjectId, created_at: at }).execute();
}

/** The oldest events waiting, in the order they were recorded. */
export function waitingEvents(db: Conn, limit: number): Promise<WebhookEventRow[]> {
	return db.selectFrom('webhook_events').selectAll().orderBy('id').limit(limit).execute();
}

/**
 * Takes events off the table; returns how many were still there. Another node that took one first (on PostgreSQL the
 * second delete waits for the first transaction, then finds nothing) is told by the count, so only one queues it.
 */
export async function takeEvents(db: Conn, ids: number[]): Promise<number> {
	if (ids.length === 0) return 0;
	const res = await db.deleteFrom('webhook_events').where('id', 'in', ids).executeTakeFirst();
	return Number(res.numDeletedRows);
}

/** Drops events recorded before `before`: announced that late, they would be news of a day gone. */
export async function dropEventsBefore(db: Conn, before: number): Promise<number> {
	const res = await db.deleteFrom('webhook_events').where('created_at', '<', before).executeTakeFirst();
	return Number(res.numDeletedRows);
}
