import { sql, type Kysely } from 'kysely';

/**
 * Two chambers (double majority): a vote may be counted among organisations (one ballot per organisation, cast by a
 * representative) and among individual members at once, each chamber with its own electorate, quorum and threshold.
 * - `votes.chambers`: null for a vote of one chamber; otherwise the organisations' chamber's rules as JSON
 *   (`{"organisations":{"quorum":…,"threshold":…}}`); the members' chamber keeps the vote's own quorum and threshold.
 *   The electorate of both is frozen in vote_eligible at opening: 'o:<id>' units are the organisations' chamber,
 *   'u:<id>' units the members'.
 * - `vote_ballots.chamber`: the chamber a ballot counts in ('organisations' or 'members'; null for one chamber).
 *   Written with the ballot, never changed. It is all a secret ballot knows besides its receipt and choice: every
 *   participant of a chamber could have cast any of its ballots.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table votes add column chambers text`.execute(db);
	await sql`alter table vote_ballots add column chamber text check (chamber in ('organisations', 'members'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`alter table vote_ballots drop column chamber`.execute(db);
	await sql`alter table votes drop column chambers`.execute(db);
}
