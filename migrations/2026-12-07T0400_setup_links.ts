import { sql, type Kysely } from 'kysely';

/**
 * The first start of an empty network: the one-time links printed while no coordinator exists, and the day-one
 * setup (the wizard) that the first coordinator walks through until they finish it.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('setup_links')
		// SHA-256 (hex) of the printed token; the token itself is never stored.
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'integer', (c) => c.notNull())
		// Set when the link made the first coordinator, or when a later start printed a newer link.
		.addColumn('used_at', 'integer')
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();

	await db.schema
		.createTable('network_setup')
		.addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
		.addColumn('started_at', 'integer', (c) => c.notNull())
		.addColumn('finished_at', 'integer')
		.addColumn('finished_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('network_setup').execute();
	await db.schema.dropTable('setup_links').execute();
}
