import type { AppContext } from '../context.js';
import type { KuvendIo } from './socket-server.js';
import { rooms } from './rooms.js';

/**
 * Forum events to the rooms of people already authorised to watch them (see forum.handlers.ts). Posts go out as
 * anyone allowed in the thread sees them; each client adds what is personal (its own reactions, edit rights).
 */
export function attachForumBroadcaster(io: KuvendIo, ctx: AppContext): void {
	const { forum, notifications } = ctx.services;
	const fail = (error: unknown) => ctx.logger.error('forum broadcast failed', { error });
	// Nothing is read or encoded for a room nobody is in (most threads, most of the time).
	const watched = (room: string) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;

	ctx.bus.on('forum.post_created', ({ threadId, postId, categoryId }) => {
		if (watched(rooms.category(categoryId))) io.to(rooms.category(categoryId)).emit('category:activity', { categoryId, threadId, postId });
		if (!watched(rooms.thread(threadId))) return;
		forum
			.postForRoom(postId)
			.then((post) => post && io.to(rooms.thread(threadId)).emit('post:created', post))
			.catch(fail);
	});
	const updated = ({ threadId, postId }: { threadId: number; postId: number }) => {
		if (!watched(rooms.thread(threadId))) return;
		forum
			.postForRoom(postId)
			.then((post) => post && io.to(rooms.thread(threadId)).emit('post:updated', post))
			.catch(fail);
	};
	ctx.bus.on('forum.post_updated', updated);
	ctx.bus.on('forum.post_deleted', updated);
	ctx.bus.on('forum.reactions_changed', ({ threadId, postId }) => {
		if (!watched(rooms.thread(threadId))) return;
		forum
			.postForRoom(postId)
			.then((post) => post && io.to(rooms.thread(threadId)).emit('post:reactions', { threadId, postId, reactions: post.reactions.map(({ emoji, count }) => ({ emoji, count })) }))
			.catch(fail);
	});
	ctx.bus.on('forum.thread_changed', ({ threadId }) => {
		const room = rooms.thread(threadId);
		io.to(room).emit('thread:changed', { threadId });
		// Who may watch may have changed (moved, hidden): everyone asks again.
		io.in(room).socketsLeave(room);
	});
	const recount = ({ userId }: { userId: number }) => {
		if (!watched(rooms.user(userId))) return;
		notifications
			.unreadOf(userId)
			.then((unread) => io.to(rooms.user(userId)).emit('notifications:count', { unread }))
			.catch(fail);
	};
	ctx.bus.on('notification.created', recount);
	ctx.bus.on('notification.read', recount);
}
