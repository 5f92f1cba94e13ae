import type { Db } from '../db/client.js';
import * as forum from '../db/repositories/forum.repository.js';
import { insertFlag, logModeration, moderationLog, openFlags, resolveFlags } from '../db/repositories/moderation.repository.js';
import { canRead, fold, indexedTitle, isModerator, tagsOf, maySetSpaceVisibility, spaceVisibilityAllowed } from '../domain/forum.js';
import { shownName } from '../domain/people.js';
import { checkText } from '../domain/validation.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { CategoryView } from '../../src/lib/shared/forum.js';
import type { Authenticated } from './auth.service.js';
import { categoryView } from './space-views.js';
import { refuseIfArchived } from './forum-access.js';
import { excerpt } from './markdown.js';

export type ThreadSwitch = 'pinned' | 'locked' | 'archived' | 'hidden';
const SWITCHES: ThreadSwitch[] = ['pinned', 'locked', 'archived', 'hidden'];

/**
 * Flags from members; hiding, restoring, locking, pinning, archiving and moving by moderators; who reads a space, by
 * coordinators; all logged.
 */
export class ModerationService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly clock: () => number = Date.now
	) {}

	#moderator(auth: Authenticated | null) {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isModerator(auth.actor)) throw new DomainError('forbidden');
		return auth.actor;
	}

	/** Any member who can read a post may flag it, with a reason. */
	async flag(auth: Authenticated | null, postId: number, reason: string): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		const post = await forum.findPost(this.db, postId);
		const thread = post ? await forum.findThread(this.db, post.thread_id) : undefined;
		const category = thread ? await forum.findCategoryById(this.db, thread.category_id) : undefined;
		const groups = await forum.userGroupIds(this.db, auth.actor.id);
		if (!post || !thread || !category || post.deleted_at || !canRead(auth.actor, { visibility: category.visibility, groupId: category.group_id }, groups)) {
			throw new DomainError('not_found');
		}
		if (auth.actor.status !== 'active') throw new DomainError('forbidden');
		const problem = checkText(reason, { min: 3, max: 1000 });
		if (problem) throw new DomainError('invalid_input', 'a reason is required', { reason: problem });
		await this.db.transaction().execute((trx) => insertFlag(trx, { post_id: post.id, reporter_id: auth.actor.id, reason: reason.trim(), created_at: this.clock() }));
	}

	async queue(auth: Authenticated | null) {
		this.#moderator(auth);
		return (await openFlags(this.db)).map((f) => ({
			id: f.id,
			reason: f.reason,
			createdAt: f.created_at,
			postId: f.post_id,
			threadId: f.thread_id,
			title: f.title,
			excerpt: excerpt(f.body, 300),
			hidden: f.hidden_at !== null,
			deleted: f.deleted_at !== null,
			reporter: f.reporter_name,
			author: shownName(f.author_name, f.author_status)
		}));
	}

	async log(auth: Authenticated | null) {
		this.#moderator(auth);
		return (await moderationLog(this.db)).map((l) => ({
			id: l.id,
			action: l.action,
			threadId: l.thread_id,
			postId: l.post_id,
			title: l.title,
			reason: l.reason,
			moderator: l.moderator_name,
			createdAt: l.created_at
		}));
	}

	/** Hides a post from everyone but moderators (or restores it); resolves its open flags. */
	async setPostHidden(auth: Authenticated | null, postId: number, hidden: boolean, reason = ''): Promise<void> {
		const moderator = this.#moderator(auth);
		const post = await forum.findPost(this.db, postId);
		if (!post || post.deleted_at) throw new DomainError('not_found');
		const thread = await forum.findThread(this.db, post.thread_id);
		if (!thread) throw new DomainError('not_found');
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await forum.updatePost(trx, post.id, { hidden_at: hidden ? now : null });
			if (hidden) await forum.unindexPost(trx, post.id);
			else await forum.indexPost(trx, post.id, post.parent_id === null ? indexedTitle(thread.title, tagsOf(thread.tags)) : '', fold(excerpt(post.body, 20_000)));
			await resolveFlags(trx, post.id, moderator.id, now);
			await logModeration(trx, { moderator_id: moderator.id, action: hidden ? 'post.hidden' : 'post.restored', thread_id: thread.id, post_id: post.id, reason: reason.trim() || null, created_at: now });
		});
		this.bus.emit('forum.post_updated', { threadId: thread.id, postId: post.id });
	}

	/** Dismisses a post's flags without acting on the post. */
	async dismissFlags(auth: Authenticated | null, postId: number): Promise<void> {
		const moderator = this.#moderator(auth);
		const post = await forum.findPost(this.db, postId);
		if (!post) throw new DomainError('not_found');
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await resolveFlags(trx, postId, moderator.id, now);
			await logModeration(trx, { moderator_id: moderator.id, action: 'flags.dismissed', thread_id: post.thread_id, post_id: postId, reason: null, created_at: now });
		});
	}

	async setThread(auth: Authenticated | null, threadId: number, what: string, on: boolean): Promise<void> {
		const moderator = this.#moderator(auth);
		if (!SWITCHES.includes(what as ThreadSwitch)) throw new DomainError('invalid_input', 'unknown switch');
		const thread = await forum.findThread(this.db, threadId);
		if (!thread) throw new DomainError('not_found');
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await forum.updateThread(trx, thread.id, { [what as ThreadSwitch]: on ? 1 : 0 });
			await logModeration(trx, { moderator_id: moderator.id, action: `thread.${what}.${on ? 'on' : 'off'}`, thread_id: thread.id, post_id: null, reason: null, created_at: now });
		});
		this.bus.emit('forum.thread_changed', { threadId: thread.id, categoryId: thread.category_id, previousCategoryId: null });
	}

	async move(auth: Authenticated | null, threadId: number, categorySlug: string): Promise<void> {
		const moderator = this.#moderator(auth);
		const thread = await forum.findThread(this.db, threadId);
		const target = await forum.findCategoryBySlug(this.db, categorySlug);
		if (!thread || !target) throw new DomainError('not_found');
		if (target.id === thread.category_id) return;
		refuseIfArchived(target);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await forum.updateThread(trx, thread.id, { category_id: target.id });
			await forum.moveCounts(trx, thread.category_id, target.id, thread.post_count);
			await logModeration(trx, { moderator_id: moderator.id, action: 'thread.moved', thread_id: thread.id, post_id: null, reason: target.slug, created_at: now });
		});
		this.bus.emit('forum.thread_changed', { threadId: thread.id, categoryId: target.id, previousCategoryId: thread.category_id });
	}

	/** Every space with who reads it, for those who may change that (coordinators); null for anyone else. */
	async spaces(auth: Authenticated | null): Promise<CategoryView[] | null> {
		if (!maySetSpaceVisibility(auth?.actor ?? null)) return null;
		return (await forum.listCategories(this.db)).map((c) => categoryView(c));
	}

	/**
	 * Sets who reads a space (coordinators). Narrowed, everyone who may no longer read it stops receiving it at once
	 * (access.changed); widened, their next visit shows it.
	 */
	async setSpaceVisibility(auth: Authenticated | null, slug: string, visibility: string): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		if (!maySetSpaceVisibility(auth.actor)) throw new DomainError('forbidden');
		const space = await forum.findCategoryBySlug(this.db, slug);
		if (!space) throw new DomainError('not_found');
		if (!spaceVisibilityAllowed({ visibility: space.visibility, groupId: space.group_id }, visibility)) {
			throw new DomainError('invalid_input', 'no such visibility', { visibility: 'required' });
		}
		const now = this.clock();
		const changed = await this.db.transaction().execute(async (trx) => {
			if (!(await forum.setCategoryVisibility(trx, space.id, visibility))) return false;
			await logModeration(trx, { moderator_id: auth.actor.id, action: `space.visibility.${visibility}`, thread_id: null, post_id: null, reason: space.slug, created_at: now });
			return true;
		});
		if (changed) this.bus.emit('access.changed', { categoryId: space.id });
	}
}
