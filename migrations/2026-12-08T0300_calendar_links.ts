import type { Kysely } from 'kysely';

/**
 * Each member's secret calendar link (issue #20): a calendar app fetches the meetings that member may attend with a
 * token in the URL instead of a session. One link per member; a new one replaces (revokes) the old.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('calendar_links')
		.addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
		// SHA-256 (hex) of the token in the URL; the token itself is never stored.
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		// The last time a calendar app fetched it, shown to the member (so a forgotten, still used link is noticed).
		.addColumn('last_used_at', 'integer')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('calendar_links').execute();
}
