import type { Kysely } from 'kysely';

/**
 * Webhooks (README "Webhooks"): endpoints that coordinators register for the network and representatives for their
 * organisation; the deliveries waiting or tried (a queue beside the mail outbox, drained by the same leased node);
 * a bounded log of every attempt; and what the last announced state of a meeting was, to tell a change from noise.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('webhook_endpoints')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		// Null: the whole network's events (a coordinator's endpoint).
		.addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('cascade'))
		.addColumn('url', 'text', (c) => c.notNull())
		// Kept as given: the server signs each delivery with it. Shown once, at registration.
		.addColumn('secret', 'text', (c) => c.notNull())
		// A JSON array of event types.
		.addColumn('events', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('failing_since', 'integer')
		.addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('disabled_at', 'integer')
		.addColumn('disabled_reason', 'text')
		.execute();
	await db.schema.createIndex('webhook_endpoints_organisation').on('webhook_endpoints').column('organisation_id').execute();

	await db.schema
		.createTable('webhook_deliveries')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('endpoint_id', 'integer', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull())
		.addColumn('event_type', 'text', (c) => c.notNull())
		// What the event is about ("vote:12"), checked again before each attempt: gone from visitors, not sent.
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		// Null once delivered or given up.
		.addColumn('next_attempt_at', 'integer')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('delivered_at', 'integer')
		.addColumn('gave_up_at', 'integer')
		.execute();
	await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').column('next_attempt_at').execute();
	await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').column('endpoint_id').execute();

	await db.schema
		.createTable('webhook_log')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('endpoint_id', 'integer', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull())
		.addColumn('event_type', 'text', (c) => c.notNull())
		.addColumn('attempted_at', 'integer', (c) => c.notNull())
		.addColumn('status_code', 'integer')
		.addColumn('error', 'text')
		.addColumn('duration_ms', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('webhook_log_endpoint').on('webhook_log').columns(['endpoint_id', 'id']).execute();

	await db.schema
		.createTable('webhook_subjects')
		// "meeting:12"
		.addColumn('subject', 'text', (c) => c.primaryKey())
		// A hash of what visitors read of it when it was last announced.
		.addColumn('fingerprint', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('webhook_subjects').execute();
	await db.schema.dropTable('webhook_log').execute();
	await db.schema.dropTable('webhook_deliveries').execute();
	await db.schema.dropTable('webhook_endpoints').execute();
}
