import type { Kysely } from 'kysely';

/**
 * A thread page reads the shape of its subtrees (ids, parents, depths) before the posts it shows, and counts and
 * pages top-level replies by depth: both are answered from these indexes alone (measured in
 * tests/bench/forum.bench.ts). The shape index replaces posts_root, whose columns it starts with.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('posts_root').execute();
	await db.schema.createIndex('posts_shape').on('posts').columns(['thread_id', 'root_id', 'depth', 'parent_id']).execute();
	await db.schema.createIndex('posts_depth').on('posts').columns(['thread_id', 'depth']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('posts_depth').execute();
	await db.schema.dropIndex('posts_shape').execute();
	await db.schema.createIndex('posts_root').on('posts').columns(['thread_id', 'root_id', 'id']).execute();
}
