import { sql, type Kysely } from 'kysely';
import { ddl } from './support/dialect.js';

/**
 * Proxies: a member who cannot attend gives their vote to another member, for one meeting or one vote.
 * - `proxies`: the proxies given, revocable (deleted) until the vote opens; who gave and who holds it are also in the
 *   audit trail. One proxy per giver per meeting and per vote.
 * - `vote_proxies`: the proxies a vote took, frozen at its opening in key order beside its electorate (the giver's
 *   unit is in the electorate, cast by the holder). `used` is set from 0 to 1 in place when the holder casts the
 *   giver's ballot (like `vote_eligible.voted`, see 2026-12-06T2330_participation_in_place.ts: the record keeps its
 *   size, so nothing in the file says when, or in which order); the giver is told after closing, once (`told`,
 *   claimed by the one node that sends the mail).
 * - `network_profile.proxy_cap`: how many proxies one member may hold (coordinators set it; 2 unless said).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('proxies')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('giver_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('holder_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('meeting_id', 'integer', (c) => c.references('meetings.id').onDelete('cascade'))
		.addColumn('vote_id', 'integer', (c) => c.references('votes.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addCheckConstraint('proxies_one_scope', sql`(meeting_id is null) <> (vote_id is null)`)
		.execute();
	await db.schema.createIndex('proxies_giver_meeting').on('proxies').columns(['giver_id', 'meeting_id']).unique().execute();
	await db.schema.createIndex('proxies_giver_vote').on('proxies').columns(['giver_id', 'vote_id']).unique().execute();
	await db.schema.createIndex('proxies_holder').on('proxies').column('holder_id').execute();
	await ddl(
		db,
		`create table vote_proxies (
		vote_id integer not null references votes(id) on delete cascade,
		giver_unit text not null,
		holder_id integer not null,
		used integer not null default 0 check (used in (0, 1)),
		told integer not null default 0 check (told in (0, 1)),
		primary key (vote_id, giver_unit)
	) without rowid`
	).execute(db);
	await db.schema.alterTable('network_profile').addColumn('proxy_cap', 'integer', (c) => c.notNull().defaultTo(2)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('network_profile').dropColumn('proxy_cap').execute();
	await db.schema.dropTable('vote_proxies').execute();
	await db.schema.dropTable('proxies').execute();
}
