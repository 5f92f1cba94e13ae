import type { Kysely } from 'kysely';

/**
 * The API pages meetings and drafts from a position in their lists' order (issue #20): a meeting's start then its id,
 * a draft's latest change then its id. An index on both columns answers a page as a range read in order, from the
 * position on, on SQLite and PostgreSQL alike. On SQLite an index holds the rowid after its columns, so the old
 * index on starts_at alone served that order already; on PostgreSQL it did not, and a page sorted every meeting
 * after the position to find its ties. The new index covers all the old one did, which goes.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('meetings_starts').execute();
	await db.schema.createIndex('meetings_starts_id').on('meetings').columns(['starts_at', 'id']).execute();
	await db.schema.createIndex('drafts_updated_id').on('drafts').columns(['updated_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('drafts_updated_id').execute();
	await db.schema.dropIndex('meetings_starts_id').execute();
	await db.schema.createIndex('meetings_starts').on('meetings').column('starts_at').execute();
}
