import type { BestEffort } from '../db/storage-health.js';
import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/forum.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import { canChangePost, canPost, fold, indexedTitle, isModerator, parseTags, tagsOf } from '../domain/forum.js';
import { checkText, collect } from '../domain/validation.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { REACTIONS } from '../../src/lib/shared/forum.js';
import type { Authenticated } from './auth.service.js';
import { accessOf, floorOf, readableCategory, readableThread, readerFor, refuseIfArchived } from './forum-access.js';
import { excerpt, renderMarkdown, renderPost } from './markdown.js';
import type { NotificationsService } from './notifications.service.js';
import type { RateLimits } from './rate-limits.js';

const MAX_BODY = 20_000;

/**
 * What members write in the forum: threads, replies, edits with history, soft deletes, reactions, follows and read
 * marks; each with the posting limit, counters, search index and events. Reading is ForumService's.
 */
export class ForumWritingService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly notifications: NotificationsService,
		private readonly limits: RateLimits,
		private readonly clock: () => number = Date.now,
		/** How a write nobody waits for runs (a read mark): on a full disk the page goes on without it, logged once. */
		private readonly bestEffort: BestEffort = (_what, work) => work().then(() => undefined)
	) {}

	#checkBody(body: string) {
		return checkText(body, { max: MAX_BODY });
	}

	/** Refuses (rate_limited) a member who has used up their posts for now: also asked before what opens a thread. */
	async checkPostingLimit(auth: Authenticated): Promise<void> {
		await this.limits.check(['postsPerMember', String(auth.actor.id)]);
	}

	/**
	 * Runs a post's writing holding one of the member's posts for now: posts sent all at once meet the limit as posts
	 * sent one after another do (checked first and counted after the write, 30 replies sent together all landed:
	 * tests/integration/rate-limits.test.ts). A post refused for any reason gives its count back.
	 */
	async #counted<T>(auth: Authenticated, write: () => Promise<T>): Promise<T> {
		const post = await this.limits.reserve(['postsPerMember', String(auth.actor.id)]);
		try {
			return await write();
		} catch (error) {
			await post.release();
			throw error;
		}
	}

	/**
	 * Opens a thread. `membersOnly` gives it its own floor of visibility (a members-only draft's debate): set in the
	 * transaction that writes it, so no page, list, event or webhook ever sees it without.
	 */
	async createThread(auth: Authenticated | null, input: { category: string; title: string; body: string; tags: string; membersOnly?: boolean }): Promise<number> {
		if (!auth) throw new DomainError('unauthenticated');
		return this.#counted(auth, () => this.#createThread(auth, input));
	}

	async #createThread(auth: Authenticated, input: { category: string; title: string; body: string; tags: string; membersOnly?: boolean }): Promise<number> {
		const reader = await readerFor(this.db, auth);
		const category = await readableCategory(this.db, reader, input.category);
		if (!canPost(reader.actor, accessOf(category), reader.groups)) throw new DomainError('forbidden');
		refuseIfArchived(category);
		const problems = collect({ title: checkText(input.title, { min: 3, max: 200 }), body: this.#checkBody(input.body) });
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'thread has problems', problems);
		const now = this.clock();
		const title = input.title.trim();
		const body = input.body.trim();
		const { html, text, mentions } = renderPost(body, MAX_BODY);
		const membersOnly = !!input.membersOnly;
		const { threadId, postId, notified } = await this.db.transaction().execute(async (trx) => {
			const tags = parseTags(input.tags);
			const threadId = await repo.insertThread(trx, { category_id: category.id, author_id: auth.actor.id, title, tags: JSON.stringify(tags), created_at: now, members_only: membersOnly ? 1 : 0 });
			const postId = await repo.insertPost(trx, { thread_id: threadId, parent_id: null, root_id: null, depth: 0, author_id: auth.actor.id, body, html, created_at: now });
			await repo.countNewPost(trx, threadId, category.id, postId, now, true);
			await repo.indexPost(trx, postId, indexedTitle(title, tags), fold(text));
			await repo.subscribe(trx, threadId, auth.actor.id, true);
			await repo.markRead(trx, threadId, auth.actor.id, postId, now);
			await recordWebhookEvent(trx, 'thread.created', threadId, now);
			const notified = await this.notifications.forPost(trx, { threadId, postId, authorId: auth.actor.id, parentAuthorId: null, mentions, access: accessOf(category), floor: { membersOnly }, title });
			return { threadId, postId, notified };
		});
		this.bus.emit('forum.post_created', { threadId, postId, categoryId: category.id, membersOnly });
		this.bus.emit('forum.thread_created', { threadId, categoryId: category.id, membersOnly });
		this.notifications.announce(notified);
		return threadId;
	}

	/** Replies to the thread (parentId = its opening post) or to a reply. Returns the new post's id. */
	async reply(auth: Authenticated | null, threadId: number, parentId: number | null, body: string): Promise<number> {
		if (!auth) throw new DomainError('unauthenticated');
		return this.#counted(auth, () => this.#reply(auth, threadId, parentId, body));
	}

	async #reply(auth: Authenticated, threadId: number, parentId: number | null, body: string): Promise<number> {
		// The checks read in the transaction that writes: a thread locked meanwhile gets no reply, and a read outside
		// a transaction takes a snapshot of its own, about two thirds of its cost (tests/bench/forum.bench.ts). A
		// refused reply writes nothing.
		const { postId, categoryId, membersOnly, notified } = await this.db.transaction().execute(async (trx) => {
			const reader = await readerFor(trx, auth);
			const { thread, category } = await readableThread(trx, reader, threadId);
			if (!canPost(reader.actor, accessOf(category), reader.groups, { locked: !!thread.locked, archived: !!thread.archived, hidden: !!thread.hidden, ...floorOf(thread) })) {
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
				access: accessOf(category),
				floor: floorOf(thread),
				title: thread.title
			});
			return { postId: id, categoryId: category.id, membersOnly: floorOf(thread).membersOnly, notified };
		});
		this.bus.emit('forum.post_created', { threadId, postId, categoryId, membersOnly });
		this.notifications.announce(notified);
		return postId;
	}

	async #changeablePost(auth: Authenticated | null, postId: number) {
		if (!auth) throw new DomainError('unauthenticated');
		const reader = await readerFor(this.db, auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.deleted_at) throw new DomainError('not_found');
		const { thread, category } = await readableThread(this.db, reader, post.thread_id);
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
			if (!post.hidden_at) await repo.indexPost(trx, post.id, post.parent_id === null ? indexedTitle(thread.title, tagsOf(thread.tags)) : '', fold(excerpt(text, MAX_BODY)));
		});
		this.bus.emit('forum.post_updated', { threadId: thread.id, postId: post.id });
	}

	/** The Markdown source of a post, for its author (or a moderator) to edit; pages carry only the HTML. */
	async source(auth: Authenticated | null, postId: number): Promise<string> {
		const { post } = await this.#changeablePost(auth, postId);
		return post.body;
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
		const reader = await readerFor(this.db, auth);
		const post = await repo.findPost(this.db, postId);
		if (!post || post.deleted_at || post.hidden_at) throw new DomainError('not_found');
		const { thread, category } = await readableThread(this.db, reader, post.thread_id);
		if (!canPost(reader.actor, accessOf(category), reader.groups, { locked: !!thread.locked, archived: !!thread.archived, hidden: false, ...floorOf(thread) })) throw new DomainError('forbidden');
		await this.db.transaction().execute((trx) => repo.setReaction(trx, post.id, auth.actor.id, emoji, on, this.clock()));
		this.bus.emit('forum.reactions_changed', { threadId: thread.id, postId: post.id });
	}

	async subscribe(auth: Authenticated | null, threadId: number, on: boolean): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		await readableThread(this.db, await readerFor(this.db, auth), threadId);
		await this.db.transaction().execute((trx) => repo.subscribe(trx, threadId, auth.actor.id, on));
	}

	/**
	 * The reader saw the thread up to a post (or its last post): it is read that far, the category's unread count
	 * follows, and so do the thread's notifications. Pages call it once shown, never while loading (a preload on
	 * hover is not reading).
	 */
	async markRead(auth: Authenticated | null, threadId: number, upTo?: number): Promise<void> {
		if (!auth) return;
		const { thread } = await readableThread(this.db, await readerFor(this.db, auth), threadId);
		const to = Math.min(upTo ?? Number.MAX_SAFE_INTEGER, thread.last_post_id ?? 0);
		// One statement, and none when nothing new was read (most page views of a thread one follows).
		await this.bestEffort('a read mark', async () => {
			if (to > (await repo.lastRead(this.db, thread.id, auth.actor.id))) await repo.markRead(this.db, thread.id, auth.actor.id, to, this.clock());
			await this.notifications.readThread(auth, thread.id);
		});
	}
}
