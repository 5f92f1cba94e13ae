import { sql, type Kysely } from 'kysely';
import { ddl, isPostgres } from './support/dialect.js';

/**
 * Who took part in a vote becomes a flag on the electorate frozen at opening, set in place, instead of a row written
 * beside the ballot. SQLite lays a page's cells out in the order they were written: a participation row inserted in
 * the same moment as its ballot could be paired with it by reading both tables' pages in that order (the review found
 * 30 of 30 voters of a secret vote). The electorate's rows are all written at opening, and setting `voted` from 0 to 1
 * keeps a record's size (both are stored in the record header alone), so SQLite overwrites the cell where it lies:
 * nothing in the file says when, or in which order, members voted.
 *
 * The table is rebuilt, not altered: a column added by ALTER is missing from the old records, and setting it would
 * then grow them and move them.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await ddl(
		db,
		`create table vote_electorate (
		vote_id integer not null references votes(id) on delete cascade,
		unit text not null,
		voted integer not null default 0 check (voted in (0, 1)),
		primary key (vote_id, unit)
	) without rowid`
	).execute(db);
	// `exists` is an integer (0/1) on SQLite, a boolean on PostgreSQL.
	const voted = sql`exists (select 1 from vote_participants p where p.vote_id = e.vote_id and p.unit = e.unit)`;
	await sql`insert into vote_electorate (vote_id, unit, voted)
		select e.vote_id, e.unit, ${isPostgres(db) ? sql`(${voted})::int` : voted}
		from vote_eligible e order by e.vote_id, e.unit`.execute(db);
	await sql`drop table vote_participants`.execute(db);
	await sql`drop table vote_eligible`.execute(db);
	await sql`alter table vote_electorate rename to vote_eligible`.execute(db);
}
