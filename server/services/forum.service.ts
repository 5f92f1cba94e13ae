import type { Db } from '../db/client.js';
import type { CategoryWithOwner, PostWithAuthor } from '../db/repositories/forum.repository.js';
import * as repo from '../db/repositories/forum.repository.js';
import type { ThreadRow } from '../db/database.js';
import { buildTree, trimTree, REPLIES_PER_ROOT, canChangePost, canPost, canRead, fold, isModerator, PAGE_SIZE, parseTags } from '../domain/forum.js';
import { authorView, shownName } from '../domain/people.js';
import { checkText, collect } from '../domain/validation.js';
import type { Actor } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import { MAX_DEPTH, REACTIONS, type CategoryView, type PostNode, type PostView, type ThreadSummary } from '../../src/lib/shared/forum.js';
import type { Authenticated } from './auth.service.js';
import { excerpt, renderMarkdown, renderPost } from './markdown.js';
import type { NotificationsService } from './notifications.service.js';
import type { RateLimits } from './rate-limits.js';

const MAX_BODY = 20_000;
const THREADS_PER_PAGE = 30;

interface Reader {
	actor: Actor | null;
	groups: Set<number>;
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
}

/** A category as pages show it; shared with search results. */
export function categoryView(c: CategoryWithOwner, unread = 0): CategoryView {
	return {
		id: c.id,
		slug: c.slug,
		kind: c.field_id !== null ? 'field' : 'group',
		fieldSlug: c.field_slug,
		groupSlug: c.group_slug,
		groupName: c.group_name,
		visibility: c.visibility,
		threadCount: c.thread_count,
		postCount: c.post_count,
		lastPostAt: c.last_post_at,
		unread
	};
}

const parseJson = (s: string): string[] => {
	try {
		const v = JSON.parse(s);
		return Array.isArray(v) ? v : [];
	} catch {
		return [];
	}
};

/** Categories, threads and posts: reading with visibility enforced, writing with counters, index and events. */
export class ForumService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly notifications: NotificationsService,
		private readonly limits: RateLimits,
		private readonly clock: () => number = Date.now
	) {}

	async #reader(auth: Authenticated | null, db: Db = this.db): Promise<Reader> {
		return { actor: auth?.actor ?? null, groups: auth ? await repo.userGroupIds(db, auth.actor.id) : new Set() };
	}

	#access(c: CategoryWithOwner) {
		return { visibility: c.visibility, groupId: c.group_id };
	}

	/** Every category the person may read, with unread counts for members. */
	async categories(auth: Authenticated | null): Promise<CategoryView[]> {
		const reader = await this.#reader(auth);
		const [all, unread] = await Promise.all([
			repo.listCategories(this.db),
			auth ? repo.unreadByCategory(this.db, auth.actor.id) : Promise.resolve(new Map<number, number>())
		]);
		return all.filter((c) => canRead(reader.actor, this.#access(c), reader.groups)).map((c) => categoryView(c, unread.get(c.id) ?? 0));
	}

	/** Loads a category the person may read; one they may not read does not exist for them. */
	async #readableCategory(reader: Reader, slugOrId: string | number, db: Db = this.db): Promise<CategoryWithOwner> {
		const c = typeof slugOrId === 'number' ? await repo.findCategoryById(db, slugOrId) : await repo.findCategoryBySlug(db, slugOrId);
		if (c && !reader.actor && c.visibility !== 'public') throw new DomainError('unauthenticated');
		if (!c || !canRead(reader.actor, this.#access(c), reader.groups)) throw new DomainError('not_found');
		return c;
	}

	async category(auth: Authenticated | null, slug: string, page = 1) {
		const reader = await this.#reader(auth);
		const c = await this.#readableCategory(reader, slug);
		const p = Math.max(1, Math.floor(page) || 1);
		const rows = await repo.listThreads(this.db, c.id, auth?.actor.id ?? null, THREADS_PER_PAGE, (p - 1) * THREADS_PER_PAGE, isModerator(reader.actor));
		return {
			category: categoryView(c),
			threads: rows.map((t) => this.#threadSummary(t, t.author_name ?? '', t.author_status, !!auth && (t.last_post_id ?? 0) > (t.last_read_post_id ?? 0))),
			page: p,
			pages: Math.max(1, Math.ceil(c.thread_count / THREADS_PER_PAGE)),
			canPost: canPost(reader.actor, this.#access(c), reader.groups)
		};
	}

	#threadSummary(t: ThreadRow, authorName: string, authorStatus: string, unread: boolean): ThreadSummary {
		return {
			id: t.id,
			title: t.title,
			tags: parseJson(t.tags),
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

	async #readableThread(reader: Reader, threadId: number, db: Db = this.db): Promise<{ thread: ThreadRow; category: CategoryWithOwner }> {
		const thread = await repo.findThread(db, threadId);
		if (!thread || (thread.hidden && !isModerator(reader.actor))) throw new DomainError('not_found');
		const category = await this.#readableCategory(reader, thread.category_id, db);
		return { thread, category };
	}

	/** A page of a thread: the opening post and up to PAGE_SIZE top-level replies with their replies. */
	async thread(auth: Authenticated | null, threadId: number, page = 1): Promise<ThreadPage> {
		const reader = await this.#reader(auth);
		const { thread, category } = await this.#readableThread(reader, threadId);
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
		const [opening, replies, lastReadPostId, subscribed] = await Promise.all([
			repo.openingPost(this.db, thread.id),
			repo.postsByIds(this.db, shown),
			auth ? repo.lastRead(this.db, thread.id, auth.actor.id) : Promise.resolve(0),
			auth ? repo.isSubscribed(this.db, thread.id, auth.actor.id) : Promise.resolve(false)
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
			category: categoryView(category),
			opening: views[0],
			replies: tree,
			page: p,
			pages,
			lastReadPostId,
			lastPostId: thread.last_post_id ?? opening.id,
			subscribed,
			canReply: canPost(reader.actor, this.#access(category), reader.groups, { locked: !!thread.locked, archived: !!thread.archived, hidden: !!thread.hidden }),
			canModerate: isModerator(reader.actor)
		};
	}

	/** "Continue this thread": one post with its replies, MAX_DEPTH levels further down. */
	async subthread(auth: Authenticated | null, postId: number): Promise<{ threadId: number; title: string; node: PostNode }> {
		const reader = await this.#reader(auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.root_id === null) throw new DomainError('not_found');
		const { thread } = await this.#readableThread(reader, post.thread_id);
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
		await this.#readableThread(reader, threadId);
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
			await this.#readableThread(await this.#reader(auth), threadId);
			return true;
		} catch (error) {
			if (isDomainError(error)) return false;
			throw error;
		}
	}

	/** Checks that a person may watch a thread live (the same rule as reading it). */
	async assertCanWatch(auth: Authenticated | null, threadId: number): Promise<void> {
		await this.#readableThread(await this.#reader(auth), threadId);
	}

	async assertCanWatchCategory(auth: Authenticated | null, categoryId: number): Promise<void> {
		await this.#readableCategory(await this.#reader(auth), categoryId);
	}

	#checkBody(body: string) {
		return checkText(body, { max: MAX_BODY });
	}

	/** Refuses (rate_limited) a member who has used up their posts for now: also asked before what opens a thread. */
	checkPostingLimit(auth: Authenticated): void {
		this.limits.check(['postsPerMember', String(auth.actor.id)]);
	}

	async createThread(auth: Authenticated | null, input: { category: string; title: string; body: string; tags: string }): Promise<number> {
		if (!auth) throw new DomainError('unauthenticated');
		this.checkPostingLimit(auth);
		const reader = await this.#reader(auth);
		const category = await this.#readableCategory(reader, input.category);
		if (!canPost(reader.actor, this.#access(category), reader.groups)) throw new DomainError('forbidden');
		const problems = collect({ title: checkText(input.title, { min: 3, max: 200 }), body: this.#checkBody(input.body) });
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'thread has problems', problems);
		const now = this.clock();
		const title = input.title.trim();
		const body = input.body.trim();
		const { html, text, mentions } = renderPost(body, MAX_BODY);
		const { threadId, postId, notified } = await this.db.transaction().execute(async (trx) => {
			const threadId = await repo.insertThread(trx, { category_id: category.id, author_id: auth.actor.id, title, tags: JSON.stringify(parseTags(input.tags)), created_at: now });
			const postId = await repo.insertPost(trx, { thread_id: threadId, parent_id: null, root_id: null, depth: 0, author_id: auth.actor.id, body, html, created_at: now });
			await repo.countNewPost(trx, threadId, category.id, postId, now, true);
			await repo.indexPost(trx, postId, fold(title), fold(text));
			await repo.subscribe(trx, threadId, auth.actor.id, true);
			await repo.markRead(trx, threadId, auth.actor.id, postId, now);
			const notified = await this.notifications.forPost(trx, { threadId, postId, authorId: auth.actor.id, parentAuthorId: null, mentions, access: this.#access(category), title });
			return { threadId, postId, notified };
		});
		this.limits.hit(['postsPerMember', String(auth.actor.id)]);
		this.bus.emit('forum.post_created', { threadId, postId, categoryId: category.id });
		this.notifications.announce(notified);
		return threadId;
	}

	/** Replies to the thread (parentId = its opening post) or to a reply. Returns the new post's id. */
	async reply(auth: Authenticated | null, threadId: number, parentId: number | null, body: string): Promise<number> {
		if (!auth) throw new DomainError('unauthenticated');
		this.checkPostingLimit(auth);
		// The checks read in the transaction that writes: a thread locked meanwhile gets no reply, and a read outside
		// a transaction takes a snapshot of its own, about two thirds of its cost (tests/bench/forum.bench.ts). A
		// refused reply writes nothing.
		const { postId, categoryId, notified } = await this.db.transaction().execute(async (trx) => {
			const reader = await this.#reader(auth, trx);
			const { thread, category } = await this.#readableThread(reader, threadId, trx);
			if (!canPost(reader.actor, this.#access(category), reader.groups, { locked: !!thread.locked, archived: !!thread.archived, hidden: !!thread.hidden })) {
				throw new DomainError('forbidden', thread.locked ? 'thread locked' : 'may not post');
			}
			const problem = this.#checkBody(body);
			if (problem) throw new DomainError('invalid_input', 'reply has problems', { body: problem });
			const now = this.clock();
			const source = body.trim();
			const { html, text, mentions } = renderPost(source, MAX_BODY);
			const parent = await repo.replyTarget(trx, thread.id, parentId || null);
			if (!parent) throw new DomainError('not_found', 'no such post');
			const depth = parent.depth + 1;
			const id = await repo.insertPost(trx, {
				thread_id: thread.id,
				parent_id: parent.id,
				root_id: depth === 1 ? null : parent.root_id,
				depth,
				author_id: auth.actor.id,
				body: source,
				html,
				created_at: now
			});
			await repo.countNewPost(trx, thread.id, category.id, id, now, false);
			await repo.indexPost(trx, id, '', fold(text));
			await repo.markRead(trx, thread.id, auth.actor.id, id, now);
			const notified = await this.notifications.forPost(trx, {
				threadId: thread.id,
				postId: id,
				authorId: auth.actor.id,
				parentAuthorId: parent.author_id,
				mentions,
				access: this.#access(category),
				title: thread.title
			});
			return { postId: id, categoryId: category.id, notified };
		});
		this.limits.hit(['postsPerMember', String(auth.actor.id)]);
		this.bus.emit('forum.post_created', { threadId, postId, categoryId });
		this.notifications.announce(notified);
		return postId;
	}

	async #changeablePost(auth: Authenticated | null, postId: number) {
		if (!auth) throw new DomainError('unauthenticated');
		const reader = await this.#reader(auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.deleted_at) throw new DomainError('not_found');
		const { thread, category } = await this.#readableThread(reader, post.thread_id);
		if (!canChangePost(reader.actor, post.author_id)) throw new DomainError('forbidden');
		if ((thread.locked || thread.archived) && !isModerator(reader.actor)) throw new DomainError('forbidden', 'thread closed');
		return { post, thread, category, actor: auth.actor };
	}

	/** Edits a post, keeping the previous text in its history. */
	async edit(auth: Authenticated | null, postId: number, body: string): Promise<void> {
		const { post, thread, actor } = await this.#changeablePost(auth, postId);
		const problem = this.#checkBody(body);
		if (problem) throw new DomainError('invalid_input', 'edit has problems', { body: problem });
		const text = body.trim();
		if (text === post.body) return;
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await repo.insertRevision(trx, { post_id: post.id, body: post.body, editor_id: actor.id, created_at: now });
			await repo.updatePost(trx, post.id, { body: text, html: renderMarkdown(text), edited_at: now });
			if (!post.hidden_at) await repo.indexPost(trx, post.id, post.parent_id === null ? fold(thread.title) : '', fold(excerpt(text, MAX_BODY)));
		});
		this.bus.emit('forum.post_updated', { threadId: thread.id, postId: post.id });
	}

	/** The Markdown source of a post, for its author (or a moderator) to edit; pages carry only the HTML. */
	async source(auth: Authenticated | null, postId: number): Promise<string> {
		const { post } = await this.#changeablePost(auth, postId);
		return post.body;
	}

	async history(auth: Authenticated | null, postId: number) {
		const reader = await this.#reader(auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.deleted_at || (post.hidden_at && !isModerator(reader.actor))) throw new DomainError('not_found');
		const { thread } = await this.#readableThread(reader, post.thread_id);
		const revisions = await repo.revisionsOf(this.db, post.id);
		return {
			threadId: thread.id,
			title: thread.title,
			current: { body: post.body, editedAt: post.edited_at ?? post.created_at },
			revisions: revisions.map((r) => ({ id: r.id, body: r.body, createdAt: r.created_at, editor: shownName(r.editor_name, r.editor_status) }))
		};
	}

	/** Soft delete: the post stays in the tree as a placeholder so replies keep their place. */
	async delete(auth: Authenticated | null, postId: number): Promise<void> {
		const { post, thread } = await this.#changeablePost(auth, postId);
		if (post.parent_id === null) throw new DomainError('forbidden', 'the opening post is removed by hiding the thread');
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await repo.updatePost(trx, post.id, { deleted_at: now });
			await repo.unindexPost(trx, post.id);
		});
		this.bus.emit('forum.post_deleted', { threadId: thread.id, postId: post.id });
	}

	async react(auth: Authenticated | null, postId: number, emoji: string, on: boolean): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		if (!(REACTIONS as readonly string[]).includes(emoji)) throw new DomainError('invalid_input', 'unknown reaction', { emoji: 'choose_one' });
		const reader = await this.#reader(auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.deleted_at || post.hidden_at) throw new DomainError('not_found');
		const { thread, category } = await this.#readableThread(reader, post.thread_id);
		if (!canPost(reader.actor, this.#access(category), reader.groups, { locked: !!thread.locked, archived: !!thread.archived, hidden: false })) throw new DomainError('forbidden');
		await this.db.transaction().execute((trx) => repo.setReaction(trx, post.id, auth.actor.id, emoji, on, this.clock()));
		this.bus.emit('forum.reactions_changed', { threadId: thread.id, postId: post.id });
	}

	async subscribe(auth: Authenticated | null, threadId: number, on: boolean): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		await this.#readableThread(await this.#reader(auth), threadId);
		await this.db.transaction().execute((trx) => repo.subscribe(trx, threadId, auth.actor.id, on));
	}

	/**
	 * The reader saw the thread up to a post (or its last post): it is read that far, the category's unread count
	 * follows, and so do the thread's notifications. Pages call it once shown, never while loading (a preload on
	 * hover is not reading).
	 */
	async markRead(auth: Authenticated | null, threadId: number, upTo?: number): Promise<void> {
		if (!auth) return;
		const { thread } = await this.#readableThread(await this.#reader(auth), threadId);
		const to = Math.min(upTo ?? Number.MAX_SAFE_INTEGER, thread.last_post_id ?? 0);
		// One statement, and none when nothing new was read (most page views of a thread one follows).
		if (to > (await repo.lastRead(this.db, thread.id, auth.actor.id))) await repo.markRead(this.db, thread.id, auth.actor.id, to, this.clock());
		await this.notifications.readThread(auth, thread.id);
	}
}
