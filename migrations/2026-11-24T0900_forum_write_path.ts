import type { Kysely } from 'kysely';

/**
 * Every index on posts is written on every reply (about a WAL page each per commit, and as many pages again at the
 * next checkpoint), so posts keeps only the indexes a query uses (tests/bench/forum.bench.ts, posts/s through the
 * service; plans checked with EXPLAIN QUERY PLAN):
 * - posts_author was used by no query: a search by author probes the ranked post ids by primary key alone, and
 *   users are never deleted (an account deletion keeps the row), so no foreign key check looks posts up by author.
 * - posts_thread served only the opening post (parent_id is null), which posts_depth finds as the thread's post at
 *   depth 0; catching up after a reconnect already read a thread's posts through posts_depth.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('posts_author').execute();
	await db.schema.dropIndex('posts_thread').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('posts_thread').on('posts').columns(['thread_id', 'parent_id', 'id']).execute();
	await db.schema.createIndex('posts_author').on('posts').column('author_id').execute();
}
