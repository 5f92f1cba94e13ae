import type { Kysely } from 'kysely';

/**
 * From amendment to adopted text in one path:
 * - `vote_amendments`: the amendments one vote decides between, each with the ballot option that stands for it
 *   (overlapping amendments on the same passage are put as one vote between the alternatives; the vote's other
 *   option keeps the text as it is). A vote on one amendment alone keeps `votes.amendment_id` and yes/no.
 * - `drafts.decided_by_vote_id`: the vote whose outcome adopted or rejected the whole draft (set once, with the
 *   status, from "frozen"), so the draft page says which vote did it.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('vote_amendments')
		.addColumn('vote_id', 'integer', (c) => c.notNull().references('votes.id').onDelete('cascade'))
		.addColumn('amendment_id', 'integer', (c) => c.notNull().references('amendments.id').onDelete('cascade'))
		.addColumn('option_id', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('vote_amendments_pk', ['vote_id', 'amendment_id'])
		.execute();
	await db.schema.createIndex('vote_amendments_amendment').on('vote_amendments').column('amendment_id').execute();
	await db.schema.alterTable('drafts').addColumn('decided_by_vote_id', 'integer', (c) => c.references('votes.id').onDelete('set null')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('drafts').dropColumn('decided_by_vote_id').execute();
	await db.schema.dropTable('vote_amendments').execute();
}
