import { sql, type Kysely } from 'kysely';
import { ddl } from './support/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('meetings')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('starts_at', 'integer', (c) => c.notNull())
		.addColumn('ends_at', 'integer', (c) => c.notNull())
		.addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('online_url', 'text', (c) => c.notNull().defaultTo(''))
		// The body meeting: a group, or the whole network (null). Its members are the ones counted for quorum.
		.addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('set null'))
		.addColumn('visibility', 'text', (c) => c.notNull().defaultTo('members').check(sql`visibility in ('public', 'members')`))
		.addColumn('quorum_kind', 'text', (c) => c.notNull().defaultTo('none').check(sql`quorum_kind in ('none', 'count', 'share')`))
		.addColumn('quorum_value', 'real', (c) => c.notNull().defaultTo(0))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'live', 'ended')`))
		.addColumn('current_item_id', 'integer')
		// The minutes: a co-edited draft created with the meeting.
		.addColumn('minutes_draft_id', 'integer', (c) => c.references('drafts.id'))
		.addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('started_at', 'integer')
		.addColumn('ended_at', 'integer')
		.execute();
	await db.schema.createIndex('meetings_starts').on('meetings').column('starts_at').execute();

	await ddl(
		db,
		`create table meeting_chairs (
		meeting_id integer not null references meetings(id) on delete cascade,
		user_id integer not null references users(id),
		primary key (meeting_id, user_id)
	) without rowid`
	).execute(db);

	await db.schema
		.createTable('agenda_items')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
		.addColumn('draft_id', 'integer', (c) => c.references('drafts.id').onDelete('set null'))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'current', 'done')`))
		.addColumn('concluded_at', 'integer')
		.execute();
	await db.schema.createIndex('agenda_items_meeting').on('agenda_items').columns(['meeting_id', 'position']).execute();

	// Check-in: who is present for quorum (by themselves or by a chair), until they check out.
	await ddl(
		db,
		`create table meeting_attendance (
		meeting_id integer not null references meetings(id) on delete cascade,
		user_id integer not null references users(id),
		checked_in_at integer not null,
		checked_in_by integer not null references users(id),
		primary key (meeting_id, user_id)
	) without rowid`
	).execute(db);

	// The list of speakers: a raised hand waits, the chair gives the floor, the speech ends (or the hand is withdrawn).
	await db.schema
		.createTable('meeting_speakers')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
		.addColumn('item_id', 'integer', (c) => c.references('agenda_items.id').onDelete('set null'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('position', 'real', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('waiting').check(sql`status in ('waiting', 'speaking', 'done', 'withdrawn')`))
		.addColumn('requested_at', 'integer', (c) => c.notNull())
		.addColumn('started_at', 'integer')
		.addColumn('ended_at', 'integer')
		.execute();
	await db.schema.createIndex('meeting_speakers_queue').on('meeting_speakers').columns(['meeting_id', 'status', 'position']).execute();
	// One open hand (waiting or speaking) per member per meeting: a second raise is refused by the database too.
	await sql`create unique index meeting_speakers_one_hand on meeting_speakers (meeting_id, user_id) where status in ('waiting', 'speaking')`.execute(db);

	// A vote held in a meeting, on an agenda item: those checked in are its electorate, frozen at opening, so the
	// quorum counts those present.
	await db.schema.alterTable('votes').addColumn('meeting_id', 'integer', (c) => c.references('meetings.id')).execute();
	await db.schema.alterTable('votes').addColumn('agenda_item_id', 'integer', (c) => c.references('agenda_items.id')).execute();
	await db.schema.createIndex('votes_meeting').on('votes').column('meeting_id').execute();
	await db.schema.alterTable('decisions').addColumn('meeting_id', 'integer', (c) => c.references('meetings.id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('decisions').dropColumn('meeting_id').execute();
	await db.schema.dropIndex('votes_meeting').execute();
	await db.schema.alterTable('votes').dropColumn('agenda_item_id').execute();
	await db.schema.alterTable('votes').dropColumn('meeting_id').execute();
	for (const t of ['meeting_speakers', 'meeting_attendance', 'agenda_items', 'meeting_chairs', 'meetings']) await db.schema.dropTable(t).execute();
}
