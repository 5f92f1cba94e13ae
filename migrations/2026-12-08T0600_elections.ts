import type { Kysely } from 'kysely';

/**
 * Elections: a ranked vote with a number of seats, counted by single transferable vote (src/lib/shared/stv.ts). Its
 * candidacy period runs while the vote is scheduled, until it opens; each candidate stands with a statement, and at
 * opening the candidates become the vote's options (option_id). The lot seed, drawn when the election is called,
 * breaks ties that lasted through every stage and is published with the result.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('votes').addColumn('seats', 'integer').execute();
	await db.schema.alterTable('votes').addColumn('lot_seed', 'text').execute();
	await db.schema
		.createTable('vote_candidates')
		.addColumn('vote_id', 'integer', (c) => c.notNull().references('votes.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('statement', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		// Set when the vote opens: the candidate's option on the ballot.
		.addColumn('option_id', 'integer')
		.addPrimaryKeyConstraint('vote_candidates_pk', ['vote_id', 'user_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('vote_candidates').execute();
	await db.schema.alterTable('votes').dropColumn('lot_seed').execute();
	await db.schema.alterTable('votes').dropColumn('seats').execute();
}
