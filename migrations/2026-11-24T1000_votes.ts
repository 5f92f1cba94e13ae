import { sql, type Kysely } from 'kysely';
import { ddl } from './support/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('votes')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('yes_no', 'single', 'approval', 'ranked', 'score', 'consent')`))
		// [{ id, label }], ids 1..n in ballot order (single, approval, ranked, score).
		.addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('min_approvals', 'integer')
		.addColumn('max_approvals', 'integer')
		.addColumn('eligibility', 'text', (c) => c.notNull().check(sql`eligibility in ('members', 'group', 'organisations')`))
		.addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('set null'))
		.addColumn('visibility', 'text', (c) => c.notNull().defaultTo('members').check(sql`visibility in ('public', 'members')`))
		.addColumn('secret', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('results', 'text', (c) => c.notNull().defaultTo('live').check(sql`results in ('live', 'after_voting', 'after_close')`))
		.addColumn('quorum_kind', 'text', (c) => c.notNull().defaultTo('none').check(sql`quorum_kind in ('none', 'count', 'share')`))
		.addColumn('quorum_value', 'real', (c) => c.notNull().defaultTo(0))
		.addColumn('threshold', 'text', (c) => c.notNull().defaultTo('simple').check(sql`threshold in ('simple', 'two_thirds', 'absolute')`))
		// What the vote hangs on: a thread, a draft version (its text and hash are what the ballot shows), an amendment.
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
		.addColumn('draft_version_id', 'integer', (c) => c.references('draft_versions.id'))
		.addColumn('amendment_id', 'integer', (c) => c.references('amendments.id'))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'open', 'closed', 'cancelled')`))
		.addColumn('opens_at', 'integer')
		.addColumn('closes_at', 'integer')
		.addColumn('opened_at', 'integer')
		.addColumn('closed_at', 'integer')
		// Frozen at opening.
		.addColumn('eligible_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('participants', 'integer', (c) => c.notNull().defaultTo(0))
		// The result computed at closing (JSON VoteResult), recomputable from the ballots.
		.addColumn('result', 'text')
		.addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('votes_status').on('votes').columns(['status', 'closes_at']).execute();
	await db.schema.createIndex('votes_thread').on('votes').column('thread_id').execute();

	// Who may vote, frozen when the vote opens. A unit is 'u:<user id>' (members, a group) or 'o:<organisation id>'
	// (one ballot per organisation).
	await ddl(
		db,
		`create table vote_eligible (
		vote_id integer not null references votes(id) on delete cascade,
		unit text not null,
		primary key (vote_id, unit)
	) without rowid`
	).execute(db);

	// Who took part: the primary key is the guard against a second ballot from the same unit. No time, no order.
	await ddl(
		db,
		`create table vote_participants (
		vote_id integer not null references votes(id) on delete cascade,
		unit text not null,
		primary key (vote_id, unit)
	) without rowid`
	).execute(db);

	// The ballots. Keyed by a random receipt code with no rowid, so the stored order is random, not the order of
	// casting; no time. `unit` is set for open votes only (who voted what is public to members); for a secret vote it
	// is always null and nothing here or elsewhere joins a ballot to a member (server/services/votes.service.ts).
	await ddl(
		db,
		`create table vote_ballots (
		vote_id integer not null references votes(id) on delete cascade,
		receipt text not null,
		choice text not null,
		unit text,
		primary key (vote_id, receipt)
	) without rowid`
	).execute(db);
	await sql`create unique index vote_ballots_unit on vote_ballots (vote_id, unit) where unit is not null`.execute(db);

	// The register of what the network decided.
	await db.schema
		.createTable('decisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('vote_id', 'integer', (c) => c.notNull().unique().references('votes.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('outcome', 'text', (c) => c.notNull())
		.addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('set null'))
		.addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public', 'members')`))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
		.addColumn('draft_version_id', 'integer', (c) => c.references('draft_versions.id'))
		.addColumn('amendment_id', 'integer', (c) => c.references('amendments.id'))
		.addColumn('decided_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('decisions_decided').on('decisions').column('decided_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['decisions', 'vote_ballots', 'vote_participants', 'vote_eligible', 'votes']) await db.schema.dropTable(t).execute();
}
