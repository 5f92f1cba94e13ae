import { sql, type Kysely } from 'kysely';
import { isPostgres } from './support/dialect.js';

/**
 * A giver whose proxy was used hears it on the bell too, not only by mail: notifications get the kind `proxy_used`
 * and the vote it was used in (`vote_id`; its holder is the notification's actor, its choice is nowhere).
 *
 * PostgreSQL alters the kind's check in place. SQLite cannot change a check constraint, so the table is rebuilt as it
 * was made (2026-11-22T1500_forum.ts) with the new column and check, its rows copied with their ids.
 */
const KINDS = sql`kind in ('mention', 'reply', 'proxy_used')`;
const OLD_KINDS = sql`kind in ('mention', 'reply')`;

async function rebuild(db: Kysely<any>, kinds: typeof KINDS, withVote: boolean): Promise<void> {
	await db.schema
		.createTable('notifications_next')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(kinds))
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('cascade'))
		.addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('read_at', 'integer')
		.addColumn('emailed_at', 'integer')
		.$call((t) => (withVote ? t.addColumn('vote_id', 'integer', (c) => c.references('votes.id').onDelete('cascade')) : t))
		.execute();
	const columns = sql.raw('id, user_id, kind, actor_id, thread_id, post_id, created_at, read_at, emailed_at');
	await sql`insert into notifications_next (${columns}) select ${columns} from notifications ${withVote ? sql`` : sql`where kind <> 'proxy_used'`} order by id`.execute(db);
	await db.schema.dropTable('notifications').execute();
	await sql`alter table notifications_next rename to notifications`.execute(db);
	await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'read_at', 'id']).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return rebuild(db, KINDS, true);
	await db.schema.alterTable('notifications').dropConstraint('notifications_kind_check').execute();
	await db.schema.alterTable('notifications').addCheckConstraint('notifications_kind_check', KINDS).execute();
	await db.schema.alterTable('notifications').addColumn('vote_id', 'integer', (c) => c.references('votes.id').onDelete('cascade')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return rebuild(db, OLD_KINDS, false);
	await db.deleteFrom('notifications').where('kind', '=', 'proxy_used').execute();
	await db.schema.alterTable('notifications').dropColumn('vote_id').execute();
	await db.schema.alterTable('notifications').dropConstraint('notifications_kind_check').execute();
	await db.schema.alterTable('notifications').addCheckConstraint('notifications_kind_check', OLD_KINDS).execute();
}
