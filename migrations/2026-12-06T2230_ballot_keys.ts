import { sql, type Kysely } from 'kysely';

/**
 * Two hashes beside each ballot, as unlinkable as its receipt (random values the voter's device made, hashed; no
 * member, no time, no order):
 * - `change_hash`: SHA-256 of the change key only the voting device keeps. A secret ballot is changed by its receipt
 *   together with this key, so the receipt alone (published after closing, shown on a screen, copied) changes
 *   nothing. Ballots cast before this migration have none and cannot be changed.
 * - `cast_hash`: SHA-256 of the client-made cast id, so that a cast retried with the same id gets its first answer
 *   back, also after the vote closed (the ballot was counted). Unique per vote, so a cast id names one ballot.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`alter table vote_ballots add column change_hash text`.execute(db);
	await sql`alter table vote_ballots add column cast_hash text`.execute(db);
	await sql`create unique index vote_ballots_cast on vote_ballots (vote_id, cast_hash) where cast_hash is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`drop index vote_ballots_cast`.execute(db);
	await sql`alter table vote_ballots drop column cast_hash`.execute(db);
	await sql`alter table vote_ballots drop column change_hash`.execute(db);
}
