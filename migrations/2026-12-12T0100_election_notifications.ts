import { sql, type Kysely } from 'kysely';
import { isPostgres } from './support/dialect.js';

/**
 * Whoever called an election hears on the bell when the schedule cancels it because nobody stood: notifications get
 * the kind `election_cancelled` (its vote in `vote_id`, no actor: the schedule did it).
 *
 * PostgreSQL alters the kind's check in place. SQLite cannot change a check constraint: the table is made again from
 * the definition SQLite keeps of it, with only the check changed, and its rows are copied with their ids.
 */
const KINDS = "kind in ('mention', 'reply', 'proxy_used', 'election_cancelled')";
const OLD_KINDS = "kind in ('mention', 'reply', 'proxy_used')";

async function remake(db: Kysely<any>, from: string, to: string): Promise<void> {
	const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'notifications'`.execute(db);
	const made = rows[0]?.sql ?? '';
	if (!made.includes(from)) throw new Error(`notifications: the check "${from}" is not in its definition (${made})`);
	await sql.raw(made.replace(from, to).replace(/^create table "?notifications"?/i, 'create table "notifications_next"')).execute(db);
	await sql`insert into notifications_next select * from notifications order by id`.execute(db);
	await db.schema.dropTable('notifications').execute();
	await sql`alter table notifications_next rename to notifications`.execute(db);
	await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'read_at', 'id']).execute();
}

async function setKinds(db: Kysely<any>, kinds: string): Promise<void> {
	await db.schema.alterTable('notifications').dropConstraint('notifications_kind_check').execute();
	await db.schema.alterTable('notifications').addCheckConstraint('notifications_kind_check', sql.raw(kinds)).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
	if (isPostgres(db)) await setKinds(db, KINDS);
	else await remake(db, OLD_KINDS, KINDS);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.deleteFrom('notifications').where('kind', '=', 'election_cancelled').execute();
	if (isPostgres(db)) await setKinds(db, OLD_KINDS);
	else await remake(db, KINDS, OLD_KINDS);
}
