import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { KuvendIo, KuvendSocket } from '../socket-server.js';
import { rooms } from '../rooms.js';
import { respond } from '../respond.js';
import { seesMembersOnlyThreads } from '../../domain/forum.js';

const watchSchema = z.object({ threadId: z.number().int().positive(), afterId: z.number().int().min(0).optional() });
const unwatchSchema = z.object({ threadId: z.number().int().positive() });
const suggestSchema = z.object({ q: z.string().max(60) });

/** Socket events of the forum: parse, ask the service (which authorises), join rooms, acknowledge. */
export function registerForumHandlers(io: KuvendIo, socket: KuvendSocket, ctx: AppContext): void {
	const { forum, network } = ctx.services;
	const auth = () => socket.data.auth;

	socket.on('thread:watch', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { threadId, afterId } = watchSchema.parse(payload);
			await forum.assertCanWatch(auth(), threadId);
			await socket.join(rooms.thread(threadId));
			return { missed: afterId === undefined ? [] : await forum.postsSince(auth(), threadId, afterId) };
		})
	);

	socket.on('thread:unwatch', (payload) => {
		const parsed = unwatchSchema.safeParse(payload);
		if (parsed.success) void socket.leave(rooms.thread(parsed.data.threadId));
	});

	socket.on('forum:watch', (ack) =>
		respond(ack, ctx, async () => {
			const categories = await forum.categories(auth());
			await socket.join(categories.map((c) => rooms.category(c.id)));
			return { categories: categories.length };
		})
	);

	socket.on('members:suggest', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { q } = suggestSchema.parse(payload);
			return { members: await network.suggest(auth(), q) };
		})
	);
	void io;
}

/**
 * Forum events to the rooms of people already authorised to watch them (see the handlers above). Posts go out as
 * anyone allowed in the thread sees them; each client adds what is personal (its own reactions, edit rights).
 */
export function attachForumBroadcaster(io: KuvendIo, ctx: AppContext): void {
	const { forum, notifications } = ctx.services;
	const fail = (error: unknown) => ctx.logger.error('forum broadcast failed', { error });
	// Nothing is read or encoded for a room nobody is in (most threads, most of the time). With several nodes this
	// node sees only its own sockets, and the room may be full on another: the post is read and sent through the adapter.
	const watched = (room: string) => ctx.shared !== null || (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;
	/**
	 * A space's room holds everyone who may read the space, visitors of a public one too: what happens in a
	 * members-only thread (its floor, server/domain/forum.ts) goes to the members among them only (on every node).
	 */
	const toSpace = (room: string, membersOnly: boolean, send: (to: { emit: KuvendIo['emit'] }) => void) => {
		if (!membersOnly) return send(io.to(room));
		io.in(room)
			.fetchSockets()
			.then((sockets) => sockets.filter((s) => seesMembersOnlyThreads(s.data.auth?.actor ?? null)).forEach((s) => send(s as unknown as { emit: KuvendIo['emit'] })))
			.catch(fail);
	};

	ctx.bus.on('forum.post_created', ({ threadId, postId, categoryId, membersOnly }) => {
		if (watched(rooms.category(categoryId))) toSpace(rooms.category(categoryId), membersOnly, (to) => to.emit('category:activity', { categoryId, threadId, postId }));
		if (!watched(rooms.thread(threadId))) return;
		forum
			.postForRoom(postId)
			.then((post) => post && io.to(rooms.thread(threadId)).emit('post:created', post))
			.catch(fail);
	});
	// Rooms of spaces are joined only by sockets whose person may read the space (forum:watch above).
	ctx.bus.on('forum.thread_created', ({ threadId, categoryId }) => {
		if (!watched(rooms.category(categoryId))) return;
		forum
			.threadForRoom(threadId)
			.then((created) => created && toSpace(rooms.category(categoryId), created.membersOnly, (to) => to.emit('thread:created', { categoryId: created.categoryId, thread: created.thread })))
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
