import type { Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database } from '../db/database.js';
import * as repo from '../db/repositories/notification.repository.js';
import { canReadThread, type CategoryAccess, type ThreadFloor } from '../domain/forum.js';
import { authorView, shownName } from '../domain/people.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { NotificationView } from '../../src/lib/shared/forum.js';
import type { Authenticated } from './auth.service.js';
import type { MailService } from './mail.service.js';

const DAY = 24 * 60 * 60 * 1000;

/** A notification row as the bell's page shows it. */
export function notificationRowToView(r: repo.NotificationRow): NotificationView {
	return {
		id: r.id,
		kind: r.kind,
		actor: r.actor_id ? authorView(r.actor_id, r.actor_name, r.actor_status) : null,
		threadId: r.thread_id,
		threadTitle: r.thread_title,
		postId: r.post_id,
		voteId: r.vote_id,
		voteTitle: r.vote_title,
		createdAt: r.created_at,
		read: r.read_at !== null
	};
}

export interface NewPost {
	threadId: number;
	postId: number;
	authorId: number;
	parentAuthorId: number | null;
	/** Who the post mentions (renderPost in markdown.ts). */
	mentions: number[];
	title: string;
	access: CategoryAccess;
	/** The thread's own floor: a members-only thread notifies members only. */
	floor: ThreadFloor;
}

/** Mentions and replies become notifications: the bell, mail at once, or a daily digest, as each member chose. */
export class NotificationsService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly mail: MailService,
		private readonly origin: () => string,
		private readonly clock: () => number = Date.now
	) {}

	/**
	 * Within the post's transaction: notifies the people mentioned and the thread's subscribers (and the author of
	 * the post replied to), never the author, and only people who may read the thread. Returns who to tell live.
	 */
	async forPost(trx: Transaction<Database>, post: NewPost): Promise<{ live: number[]; mailed: boolean }> {
		const mentioned = new Set(post.mentions);
		const { groupId } = post.access;
		const people = await repo.recipientsOfNewPost(trx, {
			ids: [...mentioned, ...(post.parentAuthorId ? [post.parentAuthorId] : [])],
			threadId: post.threadId,
			authorId: post.authorId,
			groupId: post.access.visibility === 'group' ? groupId : null
		});
		let author: string | undefined;
		const now = this.clock();
		const live: number[] = [];
		let mailed = false;
		for (const person of people) {
			const actor = { id: person.id, role: person.role, status: person.status };
			const groups = new Set(person.in_group && groupId !== null ? [groupId] : []);
			if (!canReadThread(actor, post.access, groups, post.floor)) continue;
			if (!person.notify_in_app && person.notify_email === 'off') continue;
			const kind = mentioned.has(person.id) ? 'mention' : 'reply';
			const mailNow = person.notify_email === 'now';
			await repo.insertNotification(trx, { user_id: person.id, kind, actor_id: post.authorId, thread_id: post.threadId, post_id: post.postId, created_at: now, emailed_at: mailNow ? now : null });
			if (mailNow) {
				mailed = true;
				author ??= (await repo.recipients(trx, [post.authorId]))[0]?.display_name ?? '';
				await this.mail.queue(trx, { email: person.email, locale: person.locale }, {
					kind,
					name: person.display_name,
					actor: author,
					title: post.title,
					url: `${this.origin()}/forum/t/${post.threadId}#post-${post.postId}`
				});
			}
			if (person.notify_in_app) live.push(person.id);
		}
		return { live, mailed };
	}

	/**
	 * Within the cancelling transaction: an election the schedule cancelled because nobody stood is told to whoever
	 * called it, by mail and on the bell (as a used proxy is to its giver), rather than left for them to find gone.
	 */
	async electionCancelled(trx: Transaction<Database>, voteId: number): Promise<{ live: number[]; mailed: boolean }> {
		const caller = await repo.callerOfVote(trx, voteId);
		if (!caller || caller.status !== 'active') return { live: [], mailed: false };
		await this.mail.queue(trx, { email: caller.email, locale: caller.locale }, { kind: 'election_cancelled', name: caller.display_name, title: caller.title, url: `${this.origin()}/votes/${voteId}` });
		if (!caller.notify_in_app) return { live: [], mailed: true };
		await repo.insertVoteNotice(trx, { user_id: caller.id, kind: 'election_cancelled', actor_id: null, vote_id: voteId, created_at: this.clock() });
		return { live: [caller.id], mailed: true };
	}

	/** After commit: bells count up, mail goes out. */
	announce({ live, mailed }: { live: number[]; mailed: boolean }): void {
		for (const userId of live) this.bus.emit('notification.created', { userId });
		if (mailed) this.bus.emit('mail.queued', {});
	}

	async list(auth: Authenticated | null): Promise<NotificationView[]> {
		if (!auth) throw new DomainError('unauthenticated');
		return (await repo.listNotifications(this.db, auth.actor.id)).map(notificationRowToView);
	}

	async unread(auth: Authenticated | null): Promise<number> {
		return auth ? this.unreadOf(auth.actor.id) : 0;
	}

	/** For the realtime layer, which pushes the count to the member's own room only. */
	unreadOf(userId: number): Promise<number> {
		return repo.unreadCount(this.db, userId);
	}

	async markAllRead(auth: Authenticated | null): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		await this.db.transaction().execute((trx) => repo.markAllRead(trx, auth.actor.id, this.clock()));
		this.bus.emit('notification.read', { userId: auth.actor.id });
	}

	/** Reading a thread reads its notifications (ForumWritingService.markRead). */
	async readThread(auth: Authenticated | null, threadId: number): Promise<void> {
		if (!auth) return;
		const changed = await repo.markThreadRead(this.db, auth.actor.id, threadId, this.clock());
		if (changed) this.bus.emit('notification.read', { userId: auth.actor.id });
	}

	/** Sends the daily digest to members who chose it and have unread, unmailed notifications. */
	async sendDigests(): Promise<number> {
		const now = this.clock();
		const due = await repo.digestDue(this.db, now - DAY);
		for (const person of due) {
			await this.db.transaction().execute(async (trx) => {
				const items = await repo.unmailedFor(trx, person.id);
				if (!items.length) return;
				await this.mail.queue(trx, { email: person.email, locale: person.locale }, {
					kind: 'digest',
					name: person.display_name,
					items: items.map((i) => ({ kind: i.kind, actor: shownName(i.actor_name, i.actor_status) || null, title: i.thread_title ?? '' })),
					url: `${this.origin()}/notifications`
				});
				await repo.markEmailed(trx, items.map((i) => i.id), now);
				await repo.markDigestSent(trx, person.id, now);
			});
		}
		if (due.length) this.bus.emit('mail.queued', {});
		return due.length;
	}
}
