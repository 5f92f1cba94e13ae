import { sql, type Kysely } from 'kysely';

/**
 * The threads a space's counters hold that some readers' lists leave out (hidden ones, members-only ones): few, so a
 * partial index lets a visitor's or a member's counts subtract them without reading every thread of the forum
 * (server/db/repositories/space-counts.repository.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('threads_unlisted')
		.on('threads')
		.columns(['category_id', 'last_post_at'])
		.where(sql<boolean>`hidden = 1 or members_only = 1`)
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('threads_unlisted').execute();
}
