import type { Db } from '../db/client.js';
import type { CategoryWithOwner, PostWithAuthor } from '../db/repositories/forum.repository.js';
import * as repo from '../db/repositories/forum.repository.js';
import type { ThreadRow } from '../db/database.js';
import { buildTree, trimTree, REPLIES_PER_ROOT, canPost, canRead, isModerator, PAGE_SIZE, seesMembersOnlyThreads, tagParam, tagsOf } from '../domain/forum.js';
import { authorView, shownName } from '../domain/people.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import { MAX_DEPTH, REACTIONS, type CategoryView, type PostNode, type PostView, type ThreadSummary } from '../../src/lib/shared/forum.js';
import type { Authenticated } from './auth.service.js';
import { accessOf, floorOf, readableCategory, readableThread, readerFor, type Reader } from './forum-access.js';
import { listedFor, spaceViews } from './space-views.js';

const THREADS_PER_PAGE = 30;


export interface TaggedThreads {
	/** The tag as checked; null when the link's tag could not be one. */
	tag: string | null;
	threads: (ThreadSummary & { category: CategoryView })[];
	page: number;
	pages: number;
}

export interface ThreadPage {
	thread: ThreadSummary & { categorySlug: string };
	category: CategoryView;
	opening: PostView;
	replies: PostNode[];
	page: number;
	pages: number;
	/** Posts with a higher id are new since the member's last visit. */
	lastReadPostId: number;
	/** The thread's newest post when the page was made: live catch-up starts after it. */
	lastPostId: number;
	subscribed: boolean;
	canReply: boolean;
	canModerate: boolean;
	/** The thread's own floor: members only, whoever may read its space (a members-only draft's debate). */
	membersOnly: boolean;
}

/**
 * Reading the forum: categories, thread pages, subthreads, post views, edit history, and whether a person may read or
 * watch a thread; visibility enforced through forum-access. Writing is ForumWritingService's.
 */
export class ForumService {
	constructor(private readonly db: Db) {}

	#reader(auth: Authenticated | null): Promise<Reader> {
		return readerFor(this.db, auth);
	}

	/** Every category the person may read, with unread counts for members. */
	async categories(auth: Authenticated | null): Promise<CategoryView[]> {
		const reader = await this.#reader(auth);
		const [all, unread] = await Promise.all([
			repo.listCategories(this.db),
			auth ? repo.unreadByCategory(this.db, auth.actor.id, seesMembersOnlyThreads(auth.actor)) : Promise.resolve(new Map<number, number>())
		]);
		return spaceViews(
			this.db,
			all.filter((c) => canRead(reader.actor, accessOf(c), reader.groups)),
			reader.actor,
			unread
		);
	}

	async category(auth: Authenticated | null, slug: string, page = 1) {
		const reader = await this.#reader(auth);
		const c = await readableCategory(this.db, reader, slug);
		const p = Math.max(1, Math.floor(page) || 1);
		const [rows, [category]] = await Promise.all([
			repo.listThreads(this.db, c.id, auth?.actor.id ?? null, THREADS_PER_PAGE, { offset: (p - 1) * THREADS_PER_PAGE }, listedFor(reader.actor)),
			spaceViews(this.db, [c], reader.actor)
		]);
		return {
			category,
			threads: rows.map((t) => this.#threadSummary(t, t.author_name ?? '', t.author_status, !!auth && (t.last_post_id ?? 0) > (t.last_read_post_id ?? 0))),
			page: p,
			pages: Math.max(1, Math.ceil(category.threadCount / THREADS_PER_PAGE)),
			canPost: c.field_archived_at === null && canPost(reader.actor, accessOf(c), reader.groups)
		};
	}

	/**
	 * Up to `limit` threads of a space after a thread's key (from the first when null), in the space's order, for those
	 * who page it by cursor (the API): each with the key the next page starts after.
	 */
	async threadsAfter(auth: Authenticated | null, slug: string, after: repo.ThreadKey | null, limit: number): Promise<{ thread: ThreadSummary; key: repo.ThreadKey }[]> {
		const reader = await this.#reader(auth);
		const c = await readableCategory(this.db, reader, slug);
		const at = after ? { after } : { offset: 0 };
		const rows = await repo.listThreads(this.db, c.id, auth?.actor.id ?? null, limit, at, listedFor(reader.actor));
		return rows.map((t) => ({
			thread: this.#threadSummary(t, t.author_name ?? '', t.author_status, !!auth && (t.last_post_id ?? 0) > (t.last_read_post_id ?? 0)),
			key: { pinned: t.pinned, lastPostAt: t.last_post_at, id: t.id }
		}));
	}

	/** Where an old link to a merged field's space leads now (the slug of the space it was merged into), if anywhere. */
	movedSpace(slug: string): Promise<string | null> {
		return repo.movedCategorySlug(this.db, slug);
	}

	/**
	 * Threads with a tag across every space the person may read (a visitor: the public ones), newest activity first,
	 * each with its space. An impossible tag lists nothing.
	 */
	async tagged(auth: Authenticated | null, input: string | null, page = 1): Promise<TaggedThreads> {
		const tag = tagParam(input);
		const wanted = Math.max(1, Math.floor(page) || 1);
		if (!tag) return { tag: null, threads: [], page: 1, pages: 1 };
		const reader = await this.#reader(auth);
		const readable = (await repo.listCategories(this.db)).filter((c) => canRead(reader.actor, accessOf(c), reader.groups));
		const byId = new Map(readable.map((c) => [c.id, c]));
		const ids = [...byId.keys()];
		const shown = listedFor(reader.actor);
		const pages = Math.max(1, Math.ceil((await repo.countTaggedThreads(this.db, tag, ids, shown)) / THREADS_PER_PAGE));
		const p = Math.min(pages, wanted);
		const rows = await repo.listTaggedThreads(this.db, tag, ids, auth?.actor.id ?? null, THREADS_PER_PAGE, (p - 1) * THREADS_PER_PAGE, shown);
		const spaces = await spaceViews(
			this.db,
			[...new Set(rows.map((t) => t.category_id))].map((id) => byId.get(id)!),
			reader.actor
		);
		const spaceOf = new Map(spaces.map((c) => [c.id, c]));
		return {
			tag,
			threads: rows.map((t) => ({
				...this.#threadSummary(t, t.author_name ?? '', t.author_status, !!auth && (t.last_post_id ?? 0) > (t.last_read_post_id ?? 0)),
				category: spaceOf.get(t.category_id)!
			})),
			page: p,
			pages
		};
	}

	/**
	 * A new thread as anyone who may read its space sees it (for broadcasts to the space's room), with its floor:
	 * a members-only thread goes only to the members in that room.
	 */
	async threadForRoom(threadId: number): Promise<{ categoryId: number; thread: ThreadSummary; membersOnly: boolean } | null> {
		const thread = await repo.findThread(this.db, threadId);
		const opening = thread && !thread.hidden ? await repo.openingPost(this.db, thread.id) : undefined;
		if (!thread || !opening) return null;
		return { categoryId: thread.category_id, thread: this.#threadSummary(thread, opening.author_name, opening.author_status, true), membersOnly: floorOf(thread).membersOnly };
	}

	#threadSummary(t: ThreadRow, authorName: string, authorStatus: string, unread: boolean): ThreadSummary {
		return {
			id: t.id,
			title: t.title,
			tags: tagsOf(t.tags),
			pinned: !!t.pinned,
			locked: !!t.locked,
			archived: !!t.archived,
			hidden: !!t.hidden,
			postCount: t.post_count,
			createdAt: t.created_at,
			lastPostAt: t.last_post_at,
			author: authorView(t.author_id, authorName, authorStatus),
			unread
		};
	}

	/** Post views for a reader: deleted ones are placeholders, hidden ones are shown only to moderators. */
	async #postViews(posts: PostWithAuthor[], reader: Reader): Promise<PostView[]> {
		const reactions = await repo.reactionsFor(this.db, posts.map((p) => p.id), reader.actor?.id ?? null);
		const byPost = new Map<number, PostView['reactions']>();
		for (const r of reactions) {
			const list = byPost.get(r.post_id) ?? [];
			list.push({ emoji: r.emoji, count: Number(r.n), mine: Number(r.mine) === 1 });
			byPost.set(r.post_id, list);
		}
		const moderator = isModerator(reader.actor);
		return posts.map((p) => {
			const state = p.deleted_at ? 'deleted' : p.hidden_at ? 'hidden' : 'visible';
			const shown = state === 'visible' || (state === 'hidden' && moderator);
			return {
				id: p.id,
				threadId: p.thread_id,
				parentId: p.parent_id,
				depth: p.depth,
				author: authorView(p.author_id, p.author_name, p.author_status),
				html: shown ? p.html : null,
				state,
				createdAt: p.created_at,
				editedAt: p.edited_at,
				reactions: (byPost.get(p.id) ?? []).sort((a, b) => REACTIONS.indexOf(a.emoji as never) - REACTIONS.indexOf(b.emoji as never))
			};
		});
	}

	/** A page of a thread: the opening post and up to PAGE_SIZE top-level replies with their replies. */
	async thread(auth: Authenticated | null, threadId: number, page = 1): Promise<ThreadPage> {
		const reader = await this.#reader(auth);
		const { thread, category } = await readableThread(this.db, reader, threadId);
		const topLevel = await repo.countTopLevel(this.db, thread.id);
		const pages = Math.max(1, Math.ceil(topLevel / PAGE_SIZE));
		const p = Math.min(pages, Math.max(1, Math.floor(page) || 1));
		const roots = await repo.pageRoots(this.db, thread.id, PAGE_SIZE, (p - 1) * PAGE_SIZE);
		// The shape first (ids only, one level deeper than shown so that cut replies are counted for "continue this
		// thread"), then the full rows of just the posts the page shows.
		const shape = trimTree(buildTree(await repo.subtreeShapes(this.db, thread.id, roots, MAX_DEPTH + 2), MAX_DEPTH, 1), REPLIES_PER_ROOT);
		const more = new Map<number, number>();
		const shown: number[] = [];
		const walk = (nodes: typeof shape) =>
			nodes.forEach((n) => {
				shown.push(n.id);
				if (n.more) more.set(n.id, n.more);
				walk(n.replies);
			});
		walk(shape);
		const [opening, replies, lastReadPostId, subscribed, [space]] = await Promise.all([
			repo.openingPost(this.db, thread.id),
			repo.postsByIds(this.db, shown),
			auth ? repo.lastRead(this.db, thread.id, auth.actor.id) : Promise.resolve(0),
			auth ? repo.isSubscribed(this.db, thread.id, auth.actor.id) : Promise.resolve(false),
			spaceViews(this.db, [category], reader.actor)
		]);
		if (!opening) throw new DomainError('not_found');
		const views = await this.#postViews([opening, ...replies], reader);
		const tree = buildTree(views.slice(1), MAX_DEPTH, 1) as PostNode[];
		const count = (nodes: PostNode[]) =>
			nodes.forEach((n) => {
				n.more = more.get(n.id) ?? 0;
				count(n.replies);
			});
		count(tree);
		const unread = !!auth && (thread.last_post_id ?? 0) > lastReadPostId;
		return {
			thread: { ...this.#threadSummary(thread, opening.author_name, opening.author_status, unread), categorySlug: category.slug },
			category: space,
			opening: views[0],
			replies: tree,
			page: p,
			pages,
			lastReadPostId,
			lastPostId: thread.last_post_id ?? opening.id,
			subscribed,
			canReply: canPost(reader.actor, accessOf(category), reader.groups, { locked: !!thread.locked, archived: !!thread.archived, hidden: !!thread.hidden, ...floorOf(thread) }),
			canModerate: isModerator(reader.actor),
			membersOnly: floorOf(thread).membersOnly
		};
	}

	/** "Continue this thread": one post with its replies, MAX_DEPTH levels further down. */
	async subthread(auth: Authenticated | null, postId: number): Promise<{ threadId: number; title: string; node: PostNode }> {
		const reader = await this.#reader(auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.root_id === null) throw new DomainError('not_found');
		const { thread } = await readableThread(this.db, reader, post.thread_id);
		const rows = await repo.subtreePosts(this.db, thread.id, post.root_id, post.depth, post.depth + MAX_DEPTH + 1);
		// Keep only the post and its descendants (the subtree also holds its siblings and cousins).
		const keep = new Set([post.id]);
		const mine = rows.filter((r) => {
			if (r.id === post.id || (r.parent_id !== null && keep.has(r.parent_id))) {
				keep.add(r.id);
				return true;
			}
			return false;
		});
		const views = await this.#postViews(mine, reader);
		const [node] = buildTree(views, MAX_DEPTH, post.depth) as PostNode[];
		return { threadId: thread.id, title: thread.title, node };
	}

	/** What a client that was disconnected missed: posts after `afterId`, as this reader may see them. */
	async postsSince(auth: Authenticated | null, threadId: number, afterId: number): Promise<PostView[]> {
		const reader = await this.#reader(auth);
		await readableThread(this.db, reader, threadId);
		return this.#postViews(await repo.postsAfter(this.db, threadId, Math.max(0, afterId)), reader);
	}

	/** One post as anyone allowed in its thread sees it (for broadcasts to a thread's room). */
	async postForRoom(postId: number): Promise<PostView | null> {
		const post = await repo.postWithAuthor(this.db, postId);
		if (!post) return null;
		const [view] = await this.#postViews([post], { actor: null, groups: new Set() });
		return { ...view, reactions: view.reactions.map((r) => ({ ...r, mine: false })) };
	}

	/** Whether a person may read a thread (and so watch it, or see its title where it is linked): yes or no. */
	async mayRead(auth: Authenticated | null, threadId: number): Promise<boolean> {
		try {
			await readableThread(this.db, await this.#reader(auth), threadId);
			return true;
		} catch (error) {
			if (isDomainError(error)) return false;
			throw error;
		}
	}

	/** Checks that a person may watch a thread live (the same rule as reading it). */
	async assertCanWatch(auth: Authenticated | null, threadId: number): Promise<void> {
		await readableThread(this.db, await this.#reader(auth), threadId);
	}

	async assertCanWatchCategory(auth: Authenticated | null, categoryId: number): Promise<void> {
		await readableCategory(this.db, await this.#reader(auth), categoryId);
	}

	async history(auth: Authenticated | null, postId: number) {
		const reader = await this.#reader(auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.deleted_at || (post.hidden_at && !isModerator(reader.actor))) throw new DomainError('not_found');
		const { thread } = await readableThread(this.db, reader, post.thread_id);
		const revisions = await repo.revisionsOf(this.db, post.id);
		return {
			threadId: thread.id,
			title: thread.title,
			current: { body: post.body, editedAt: post.edited_at ?? post.created_at },
			revisions: revisions.map((r) => ({ id: r.id, body: r.body, createdAt: r.created_at, editor: shownName(r.editor_name, r.editor_status) }))
		};
	}
}
