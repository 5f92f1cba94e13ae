import { sql, type Kysely, type Transaction } from 'kysely';
import type { CategoryRow, Database, PostRow, ThreadRow } from '../database.js';
import { prepared } from '../prepared.js';
import { flag, upsertSearchRow } from '../dialect/sql.js';

type Conn = Kysely<Database> | Transaction<Database>;

// Who follows a thread and how far each member has read it.
export * from './thread-reading.repository.js';

export interface CategoryWithOwner extends CategoryRow {
	field_slug: string | null;
	/** The field's archive time: its space takes no new threads. */
	field_archived_at: number | null;
	/** Set when the field was merged into another: its space is empty and its links lead to the other's. */
	field_merged_into: number | null;
	group_slug: string | null;
	group_name: string | null;
	/** When the owning group was archived; null for fields and groups in use. */
	group_archived_at: number | null;
}

const categoriesWithOwner = (db: Conn) =>
	db
		.selectFrom('categories as c')
		.leftJoin('fields_of_action as f', 'f.id', 'c.field_id')
		.leftJoin('groups as g', 'g.id', 'c.group_id')
		.selectAll('c')
		.select(['f.slug as field_slug', 'f.archived_at as field_archived_at', 'f.merged_into as field_merged_into', 'g.slug as group_slug', 'g.name as group_name', 'g.archived_at as group_archived_at']);

/** Gives every group that lacks one its own forum space (visible to the group). */
export async function ensureGroupCategories(db: Conn): Promise<void> {
	await sql`insert into categories (slug, group_id, visibility, position)
		select 'group-' || g.slug, g.id, 'group', 100 + g.id from groups g
		where not exists (select 1 from categories c where c.group_id = g.id)`.execute(db);
}

/** The forum space of a group. */
export function findGroupCategory(db: Conn, groupId: number): Promise<CategoryWithOwner | undefined> {
	return categoriesWithOwner(db).where('c.group_id', '=', groupId).executeTakeFirst();
}

/** Every space but those of merged fields (empty; their links redirect). */
export function listCategories(db: Conn): Promise<CategoryWithOwner[]> {
	return categoriesWithOwner(db).where('f.merged_into', 'is', null).orderBy('c.position').execute();
}

/** Where a merged field's space now is: the slug of the space of the field it was merged into, if any. */
export async function movedCategorySlug(db: Conn, slug: string): Promise<string | null> {
	const row = await db
		.selectFrom('categories as c')
		.innerJoin('fields_of_action as f', 'f.id', 'c.field_id')
		.innerJoin('categories as target', 'target.field_id', 'f.merged_into')
		.select('target.slug')
		.where('c.slug', '=', slug)
		.executeTakeFirst();
	return row?.slug ?? null;
}

export function categoriesByIds(db: Conn, ids: number[]): Promise<CategoryWithOwner[]> {
	if (!ids.length) return Promise.resolve([]);
	return categoriesWithOwner(db).where('c.id', 'in', ids).execute();
}

export function findCategoryBySlug(db: Conn, slug: string): Promise<CategoryWithOwner | undefined> {
	return categoriesWithOwner(db).where('c.slug', '=', slug).executeTakeFirst();
}

// Compiled once (see prepared.ts): these run on every reply, before and inside its transaction.
const categoryById = prepared((db, p: { id: number }) => categoriesWithOwner(db).where('c.id', '=', p.id).compile());

export async function findCategoryById(db: Conn, id: number): Promise<CategoryWithOwner | undefined> {
	return (await categoryById(db, { id })).rows[0];
}

const groupsOfUser = prepared((db, p: { userId: number }) => db.selectFrom('group_members').select('group_id').where('user_id', '=', p.userId).compile());

export async function userGroupIds(db: Conn, userId: number): Promise<Set<number>> {
	return new Set((await groupsOfUser(db, { userId })).rows.map((r) => r.group_id));
}

/** Per category, how many visible threads have posts the member has not read (members-only ones if `membersOnly`). */
export async function unreadByCategory(db: Conn, userId: number, membersOnly: boolean): Promise<Map<number, number>> {
	const rows = await db
		.selectFrom('threads as t')
		.leftJoin('thread_reads as r', (j) => j.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', userId))
		.select((eb) => ['t.category_id', eb.fn.countAll<number>().as('n')])
		.where('t.hidden', '=', 0)
		.$if(!membersOnly, (q) => q.where('t.members_only', '=', 0))
		.where((eb) => eb(eb.ref('t.last_post_id'), '>', eb.fn.coalesce('r.last_read_post_id', eb.lit(0))))
		.groupBy('t.category_id')
		.execute();
	return new Map(rows.map((r) => [r.category_id, Number(r.n)]));
}

export interface ThreadListRow extends ThreadRow {
	author_name: string | null;
	author_status: string;
	last_read_post_id: number | null;
}

/** What a list of threads shows a reader: hidden threads (moderators), members-only threads (active members). */
export interface ListedThreads {
	hidden: boolean;
	membersOnly: boolean;
}

/** Where a thread stands in its space's order (pinned first, then latest activity, then newest): a page's end. */
export interface ThreadKey {
	pinned: number;
	lastPostAt: number;
	id: number;
}

/**
 * A page of a space's threads in its order: by offset (the forum's numbered pages), or after a thread's key (the
 * API's cursor), which neither repeats nor skips a thread when another is bumped or pinned between two pages.
 */
export function listThreads(db: Conn, categoryId: number, userId: number | null, limit: number, at: { offset: number } | { after: ThreadKey }, shown: ListedThreads): Promise<ThreadListRow[]> {
	let q = db
		.selectFrom('threads as t')
		.innerJoin('users as u', 'u.id', 't.author_id')
		.leftJoin('thread_reads as r', (j) => j.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', userId ?? -1))
		.selectAll('t')
		.select(['u.display_name as author_name', 'u.status as author_status', 'r.last_read_post_id'])
		.where('t.category_id', '=', categoryId);
	if (!shown.hidden) q = q.where('t.hidden', '=', 0);
	if (!shown.membersOnly) q = q.where('t.members_only', '=', 0);
	if ('after' in at) {
		const { pinned, lastPostAt, id } = at.after;
		q = q.where((eb) =>
			eb.or([
				eb('t.pinned', '<', pinned),
				eb.and([eb('t.pinned', '=', pinned), eb.or([eb('t.last_post_at', '<', lastPostAt), eb.and([eb('t.last_post_at', '=', lastPostAt), eb('t.id', '<', id)])])])
			])
		);
	}
	q = q.orderBy('t.pinned', 'desc').orderBy('t.last_post_at', 'desc').orderBy('t.id', 'desc').limit(limit);
	return ('offset' in at ? q.offset(at.offset) : q).execute();
}

// A checked tag (letters, digits and dashes only, see tagParam) is found in the stored JSON array as `"tag"`, and
// holds no LIKE wildcard.
const taggedIn = (db: Conn, tag: string, categoryIds: number[], shown: ListedThreads) =>
	db
		.selectFrom('threads as t')
		.where('t.category_id', 'in', categoryIds)
		.where('t.tags', 'like', `%${JSON.stringify(tag)}%`)
		.$if(!shown.hidden, (q) => q.where('t.hidden', '=', 0))
		.$if(!shown.membersOnly, (q) => q.where('t.members_only', '=', 0));

/** Threads with a tag in the given categories, newest activity first. */
export function listTaggedThreads(db: Conn, tag: string, categoryIds: number[], userId: number | null, limit: number, offset: number, shown: ListedThreads): Promise<ThreadListRow[]> {
	if (!categoryIds.length) return Promise.resolve([]);
	return taggedIn(db, tag, categoryIds, shown)
		.innerJoin('users as u', 'u.id', 't.author_id')
		.leftJoin('thread_reads as r', (j) => j.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', userId ?? -1))
		.selectAll('t')
		.select(['u.display_name as author_name', 'u.status as author_status', 'r.last_read_post_id'])
		.orderBy('t.last_post_at', 'desc')
		.orderBy('t.id', 'desc')
		.limit(limit)
		.offset(offset)
		.execute();
}

export async function countTaggedThreads(db: Conn, tag: string, categoryIds: number[], shown: ListedThreads): Promise<number> {
	if (!categoryIds.length) return 0;
	const row = await taggedIn(db, tag, categoryIds, shown).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

const threadById = prepared((db, p: { id: number }) => db.selectFrom('threads').selectAll().where('id', '=', p.id).compile());

export async function findThread(db: Conn, id: number): Promise<ThreadRow | undefined> {
	return (await threadById(db, { id })).rows[0];
}

export function findPost(db: Conn, id: number): Promise<PostRow | undefined> {
	return db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PostWithAuthor extends PostRow {
	author_name: string;
	author_status: string;
}

const postsWithAuthor = (db: Conn) =>
	db.selectFrom('posts as p').innerJoin('users as u', 'u.id', 'p.author_id').selectAll('p').select(['u.display_name as author_name', 'u.status as author_status']);

// The opening post is the thread's only post at depth 0 (and without a parent): found through posts_depth.
export function openingPost(db: Conn, threadId: number): Promise<PostWithAuthor | undefined> {
	return postsWithAuthor(db).where('p.thread_id', '=', threadId).where('p.depth', '=', 0).where('p.parent_id', 'is', null).executeTakeFirst();
}

/** What a reply needs of the post it answers (without the texts, which may fill overflow pages). */
export interface ReplyTarget {
	id: number;
	depth: number;
	root_id: number | null;
	author_id: number;
}

const replyTargetColumns = ['id', 'depth', 'root_id', 'author_id'] as const;
const postInThread = prepared((db, p: { threadId: number; id: number }) =>
	db.selectFrom('posts').select(replyTargetColumns).where('id', '=', p.id).where('thread_id', '=', p.threadId).compile()
);
const openingOf = prepared((db, p: { threadId: number }) =>
	db.selectFrom('posts').select(replyTargetColumns).where('thread_id', '=', p.threadId).where('depth', '=', 0).where('parent_id', 'is', null).compile()
);

/** The post a reply answers: `parentId` if it is in the thread, or the thread's opening post when null. */
export async function replyTarget(db: Conn, threadId: number, parentId: number | null): Promise<ReplyTarget | undefined> {
	return (parentId === null ? await openingOf(db, { threadId }) : await postInThread(db, { threadId, id: parentId })).rows[0];
}

export function postWithAuthor(db: Conn, id: number): Promise<PostWithAuthor | undefined> {
	return postsWithAuthor(db).where('p.id', '=', id).executeTakeFirst();
}

export async function countTopLevel(db: Conn, threadId: number): Promise<number> {
	const row = await db
		.selectFrom('posts')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('thread_id', '=', threadId)
		.where('depth', '=', 1)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** One page of top-level replies with their replies down to `maxDepth` (absolute depth), in id order. */
/** The top-level replies of one page of a thread. */
export async function pageRoots(db: Conn, threadId: number, limit: number, offset: number): Promise<number[]> {
	const roots = await db.selectFrom('posts').select('id').where('thread_id', '=', threadId).where('depth', '=', 1).orderBy('id').limit(limit).offset(offset).execute();
	return roots.map((r) => r.id);
}

/** The shape of the subtrees under some top-level replies (ids only), down to `maxDepth`. */
export function subtreeShapes(db: Conn, threadId: number, rootIds: number[], maxDepth: number): Promise<{ id: number; parentId: number | null; depth: number }[]> {
	if (!rootIds.length) return Promise.resolve([]);
	return db
		.selectFrom('posts')
		.select(['id', 'parent_id as parentId', 'depth'])
		.where('thread_id', '=', threadId)
		.where('root_id', 'in', rootIds)
		.where('depth', '<=', maxDepth)
		.orderBy('id')
		.execute();
}

/** Posts by id, with their authors, oldest first. */
export function postsByIds(db: Conn, ids: number[]): Promise<PostWithAuthor[]> {
	if (!ids.length) return Promise.resolve([]);
	return postsWithAuthor(db).where('p.id', 'in', ids).orderBy('p.id').execute();
}

/** The replies under one top-level subtree, between two depths, for "continue this thread". */
export function subtreePosts(db: Conn, threadId: number, rootId: number, fromDepth: number, toDepth: number): Promise<PostWithAuthor[]> {
	return postsWithAuthor(db)
		.where('p.thread_id', '=', threadId)
		.where('p.root_id', '=', rootId)
		.where('p.depth', '>=', fromDepth)
		.where('p.depth', '<=', toDepth)
		.orderBy('p.id')
		.execute();
}

/** Posts of a thread newer than a given id, for a client catching up after a reconnect. */
export function postsAfter(db: Conn, threadId: number, afterId: number, limit = 500): Promise<PostWithAuthor[]> {
	return postsWithAuthor(db).where('p.thread_id', '=', threadId).where('p.id', '>', afterId).orderBy('p.id').limit(limit).execute();
}

export interface ReactionCount {
	post_id: number;
	emoji: string;
	n: number;
	mine: number;
}

export function reactionsFor(db: Conn, postIds: number[], userId: number | null): Promise<ReactionCount[]> {
	if (!postIds.length) return Promise.resolve([]);
	return db
		.selectFrom('reactions')
		.select((eb) => [
			'post_id',
			'emoji',
			eb.fn.countAll<number>().as('n'),
			eb.fn.max<number>(flag(db, sql`user_id = ${userId ?? -1}`)).as('mine')
		])
		.where('post_id', 'in', postIds)
		.groupBy(['post_id', 'emoji'])
		.execute();
}

export async function insertThread(db: Conn, row: { category_id: number; author_id: number; title: string; tags: string; created_at: number; members_only: number }): Promise<number> {
	return (await db.insertInto('threads').values({ ...row, last_post_at: row.created_at }).returning('id').executeTakeFirstOrThrow()).id;
}

type NewPost = { thread_id: number; parent_id: number | null; root_id: number | null; depth: number; author_id: number; body: string; html: string; created_at: number };

// Compiled once (see prepared.ts): the write path of every reply.
const insertPostRow = prepared((db, p: NewPost) =>
	db
		.insertInto('posts')
		.values({ thread_id: p.thread_id, parent_id: p.parent_id, root_id: p.root_id, depth: p.depth, author_id: p.author_id, body: p.body, html: p.html, created_at: p.created_at })
		.returning('id')
		.compile()
);
const setRoot = prepared((db, p: { id: number }) => db.updateTable('posts').set({ root_id: p.id }).where('id', '=', p.id).compile());

export async function insertPost(db: Conn, row: NewPost): Promise<number> {
	const { id } = (await insertPostRow(db, row)).rows[0];
	// A top-level reply is the root of its own subtree.
	if (row.depth === 1) await setRoot(db, { id });
	return id;
}

const countInThread = prepared((db, p: { threadId: number; postId: number; now: number }) =>
	db
		.updateTable('threads')
		.set((eb) => ({ post_count: eb('post_count', '+', 1), last_post_at: p.now, last_post_id: p.postId }))
		.where('id', '=', p.threadId)
		.compile()
);
const countInCategory = prepared((db, p: { categoryId: number; threads: number; now: number }) =>
	db
		.updateTable('categories')
		.set((eb) => ({ post_count: eb('post_count', '+', 1), thread_count: eb('thread_count', '+', p.threads), last_post_at: p.now }))
		.where('id', '=', p.categoryId)
		.compile()
);

/** Keeps the thread and category counters in step with a new post. */
export async function countNewPost(db: Conn, threadId: number, categoryId: number, postId: number, now: number, newThread: boolean): Promise<void> {
	await countInThread(db, { threadId, postId, now });
	await countInCategory(db, { categoryId, threads: newThread ? 1 : 0, now });
}

const indexRow = prepared((db, p: { postId: number; title: string; body: string }) =>
	upsertSearchRow(db, p.postId, p.title, p.body).compile(db)
);

export async function indexPost(db: Conn, postId: number, title: string, body: string): Promise<void> {
	await indexRow(db, { postId, title, body });
}

export async function unindexPost(db: Conn, postId: number): Promise<void> {
	await sql`delete from search_index where rowid = ${postId}`.execute(db);
}

export async function updatePost(db: Conn, id: number, patch: Partial<Pick<PostRow, 'body' | 'html' | 'edited_at' | 'deleted_at' | 'hidden_at'>>): Promise<void> {
	await db.updateTable('posts').set(patch).where('id', '=', id).execute();
}

export async function insertRevision(db: Conn, row: { post_id: number; body: string; editor_id: number; created_at: number }): Promise<void> {
	await db.insertInto('post_revisions').values(row).execute();
}

export function revisionsOf(db: Conn, postId: number) {
	return db
		.selectFrom('post_revisions as r')
		.innerJoin('users as u', 'u.id', 'r.editor_id')
		.select(['r.id', 'r.body', 'r.created_at', 'u.display_name as editor_name', 'u.status as editor_status'])
		.where('r.post_id', '=', postId)
		.orderBy('r.id', 'desc')
		.execute();
}

export async function setReaction(db: Conn, postId: number, userId: number, emoji: string, on: boolean, now: number): Promise<void> {
	if (on) {
		await db.insertInto('reactions').values({ post_id: postId, user_id: userId, emoji, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
	} else {
		await db.deleteFrom('reactions').where('post_id', '=', postId).where('user_id', '=', userId).where('emoji', '=', emoji).execute();
	}
}

export async function updateThread(db: Conn, id: number, patch: Partial<Pick<ThreadRow, 'pinned' | 'locked' | 'archived' | 'hidden' | 'category_id' | 'title'>>): Promise<void> {
	await db.updateTable('threads').set(patch).where('id', '=', id).execute();
}

/** Sets a thread's own floor of visibility (members only, or as its space). */
export async function setThreadFloor(db: Conn, id: number, membersOnly: boolean): Promise<void> {
	await db.updateTable('threads').set({ members_only: membersOnly ? 1 : 0 }).where('id', '=', id).execute();
}

/** Sets who reads a space; false when it already had that visibility. */
export async function setCategoryVisibility(db: Conn, id: number, visibility: CategoryRow['visibility']): Promise<boolean> {
	const r = await db.updateTable('categories').set({ visibility }).where('id', '=', id).where('visibility', '!=', visibility).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Moves a thread's counts from one category to another. */
export async function moveCounts(db: Conn, from: number, to: number, posts: number): Promise<void> {
	await db.updateTable('categories').set((eb) => ({ thread_count: eb('thread_count', '-', 1), post_count: eb('post_count', '-', posts) })).where('id', '=', from).execute();
	await db.updateTable('categories').set((eb) => ({ thread_count: eb('thread_count', '+', 1), post_count: eb('post_count', '+', posts) })).where('id', '=', to).execute();
}
