import { sql, type Kysely } from 'kysely';
import { isPostgres } from './support/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('categories')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('field_id', 'integer', (c) => c.references('fields_of_action.id').onDelete('cascade'))
		.addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('cascade'))
		.addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public', 'members', 'group')`))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('thread_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_post_at', 'integer')
		.addCheckConstraint('categories_owner', sql`(field_id is null) <> (group_id is null)`)
		.addCheckConstraint('categories_group_visibility', sql`visibility <> 'group' or group_id is not null`)
		.execute();

	// Every field of action and every group has its space; groups created later get theirs from the service.
	await sql`insert into categories (slug, field_id, visibility, position)
		select slug, id, 'members', position from fields_of_action`.execute(db);
	await sql`insert into categories (slug, group_id, visibility, position)
		select 'group-' || slug, id, 'group', 100 + id from groups`.execute(db);

	await db.schema
		.createTable('threads')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('last_post_at', 'integer', (c) => c.notNull())
		.addColumn('last_post_id', 'integer')
		.execute();
	await db.schema.createIndex('threads_category').on('threads').columns(['category_id', 'pinned', 'last_post_at']).execute();

	await db.schema
		.createTable('posts')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('parent_id', 'integer', (c) => c.references('posts.id'))
		.addColumn('root_id', 'integer')
		.addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('html', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('edited_at', 'integer')
		.addColumn('deleted_at', 'integer')
		.addColumn('hidden_at', 'integer')
		.execute();
	await db.schema.createIndex('posts_thread').on('posts').columns(['thread_id', 'parent_id', 'id']).execute();
	await db.schema.createIndex('posts_root').on('posts').columns(['thread_id', 'root_id', 'id']).execute();
	await db.schema.createIndex('posts_author').on('posts').column('author_id').execute();

	await db.schema
		.createTable('post_revisions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('editor_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('post_revisions_post').on('post_revisions').column('post_id').execute();

	await db.schema
		.createTable('reactions')
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('emoji', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('reactions_pk', ['post_id', 'user_id', 'emoji'])
		.execute();

	await db.schema
		.createTable('thread_subscriptions')
		.addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('thread_subscriptions_pk', ['thread_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('thread_reads')
		.addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('last_read_post_id', 'integer', (c) => c.notNull())
		.addColumn('read_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('thread_reads_pk', ['thread_id', 'user_id'])
		.execute();

	await db.schema
		.createTable('flags')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved')`))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('resolved_by', 'integer', (c) => c.references('users.id'))
		.addColumn('resolved_at', 'integer')
		.execute();
	await db.schema.createIndex('flags_status').on('flags').columns(['status', 'created_at']).execute();

	await db.schema
		.createTable('moderation_log')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('moderator_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
		.addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('set null'))
		.addColumn('reason', 'text')
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('notifications')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mention', 'reply')`))
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('cascade'))
		.addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('read_at', 'integer')
		.addColumn('emailed_at', 'integer')
		.execute();
	await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'read_at', 'id']).execute();

	// Search over titles and posts. unicode61 folds Latin diacritics but not Greek tonos, so the service indexes
	// text already folded (lower case, marks removed: ë = e, ç = c, ά = α) and folds queries the same way.
	// rowid = post id; the opening post carries its thread's title.
	if (isPostgres(db)) {
		// The same index on PostgreSQL: the same folded text, keyed by `rowid` (= post id) as FTS5 is, searched through
		// a tsvector (titles weigh A, bodies D) with a GIN index. The 'simple' configuration only splits and lower-cases:
		// the folding is the service's, as on SQLite.
		await sql`create table search_index (
			rowid bigint primary key,
			title text not null default '',
			body text not null default '',
			document tsvector generated always as (setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'D')) stored
		)`.execute(db);
		await sql`create index search_index_document on search_index using gin (document)`.execute(db);
	} else {
		await sql`create virtual table search_index using fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
	}

	await db.schema.alterTable('users').addColumn('last_digest_at', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('users').dropColumn('last_digest_at').execute();
	await sql`drop table search_index`.execute(db);
	for (const t of ['notifications', 'moderation_log', 'flags', 'thread_reads', 'thread_subscriptions', 'reactions', 'post_revisions', 'posts', 'threads', 'categories']) {
		await db.schema.dropTable(t).execute();
	}
}
