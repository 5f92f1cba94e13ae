import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('users')
		.addColumn('show_email', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.alterTable('users').addColumn('notify_in_app', 'integer', (c) => c.notNull().defaultTo(1)).execute();
	await db.schema
		.alterTable('users')
		.addColumn('notify_email', 'text', (c) => c.notNull().defaultTo('digest').check(sql`notify_email in ('now', 'digest', 'off')`))
		.execute();

	await db.schema
		.createTable('join_requests')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('individual', 'organisation')`))
		.addColumn('organisation_name', 'text')
		.addColumn('organisation_website', 'text')
		.addColumn('city', 'text', (c) => c.notNull())
		.addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('motivation', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`))
		.addColumn('reason', 'text')
		.addColumn('reviewed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('reviewed_at', 'integer')
		.addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('join_requests_status').on('join_requests').columns(['status', 'created_at']).execute();
	await db.schema.createIndex('join_requests_user').on('join_requests').column('user_id').execute();

	await db.schema
		.createTable('group_join_requests')
		.addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('group_join_requests_pk', ['group_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('password_resets')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'integer', (c) => c.notNull())
		.addColumn('used_at', 'integer')
		.execute();
	await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();

	await db.schema
		.createTable('outbox')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('to_address', 'text', (c) => c.notNull())
		.addColumn('locale', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('sent_at', 'integer')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_error', 'text')
		.execute();
	await db.schema.createIndex('outbox_pending').on('outbox').columns(['sent_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['outbox', 'password_resets', 'group_join_requests', 'join_requests']) await db.schema.dropTable(t).execute();
	for (const c of ['notify_email', 'notify_in_app', 'show_email']) await db.schema.alterTable('users').dropColumn(c).execute();
}
