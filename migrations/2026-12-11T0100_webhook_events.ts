import type { Kysely } from 'kysely';

/**
 * The webhooks' outbox: what a change that webhooks announce records in its own transaction (a vote opened, a thread
 * started, a meeting called...), so that the event is committed with the change or not at all. The node that sends
 * webhooks turns each row, in order, into deliveries and deletes it in one transaction; a row is only ever waiting.
 * What is announced is read when the row is taken, as a visitor: the row holds no content, only what and which.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('webhook_events')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		// What happened: "vote.closed", "meeting.changed"... (server/domain/webhooks.ts, RECORDED_EVENTS).
		.addColumn('type', 'text', (c) => c.notNull())
		// The vote's, thread's, draft's or meeting's id.
		.addColumn('subject_id', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('webhook_events').execute();
}
