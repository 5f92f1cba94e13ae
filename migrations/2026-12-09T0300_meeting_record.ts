import { sql, type Kysely } from 'kysely';

/**
 * The meeting's record and the consent rounds that feed meetings (issue #18, points 4 and 5).
 * - `meeting_events`: the meeting's log as it happens — opened and closed, each check-in and check-out, each item
 *   taken up and concluded — from which the minutes are written (speeches are in meeting_speakers, votes in votes).
 * - `meetings.minutes_locale`: the language the minutes are written in (the caller's, when the meeting was called).
 * - `meetings.minutes_vote_id`: the yes/no vote that approves a version of the minutes; passed, they are frozen.
 * - `agenda_proposals`: each objection (or block) of a closed consent round, with its reason, proposed as an item of
 *   the body's next meeting (`meeting_id` null while the body has none); the chair accepts (then `agenda_item_id`)
 *   or drops it; `outcome` is what the meeting concluded. `author_unit` only for open votes (nobody for secret ones).
 * - `votes.objections_moved_at`: set once, in the transaction that moves a closed round's objections to proposals
 *   (the claim that makes moving them idempotent when several nodes close or sweep at once).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('meeting_events')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
		.addColumn('at', 'integer', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opened', 'closed', 'checked_in', 'checked_out', 'item_started', 'item_ended')`))
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('item_id', 'integer', (c) => c.references('agenda_items.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('meeting_events_meeting').on('meeting_events').columns(['meeting_id', 'id']).execute();
	await db.schema.alterTable('meetings').addColumn('minutes_locale', 'text', (c) => c.notNull().defaultTo('sq')).execute();
	await db.schema.alterTable('meetings').addColumn('minutes_vote_id', 'integer', (c) => c.references('votes.id')).execute();
	await db.schema.alterTable('votes').addColumn('objections_moved_at', 'integer').execute();
	await db.schema
		.createTable('agenda_proposals')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('vote_id', 'integer', (c) => c.notNull().references('votes.id').onDelete('cascade'))
		.addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('set null'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('object', 'block')`))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('author_unit', 'text')
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`status in ('proposed', 'accepted', 'dropped', 'withdrawn')`))
		.addColumn('agenda_item_id', 'integer', (c) => c.references('agenda_items.id').onDelete('set null'))
		.addColumn('outcome', 'text')
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('decided_at', 'integer')
		.addColumn('decided_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('agenda_proposals_meeting').on('agenda_proposals').column('meeting_id').execute();
	await db.schema.createIndex('agenda_proposals_vote').on('agenda_proposals').column('vote_id').execute();
	await db.schema.createIndex('agenda_proposals_item').on('agenda_proposals').column('agenda_item_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('agenda_proposals').execute();
	await db.schema.alterTable('votes').dropColumn('objections_moved_at').execute();
	await db.schema.alterTable('meetings').dropColumn('minutes_vote_id').execute();
	await db.schema.alterTable('meetings').dropColumn('minutes_locale').execute();
	await db.schema.dropTable('meeting_events').execute();
}
