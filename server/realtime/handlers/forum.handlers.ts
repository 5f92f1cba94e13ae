import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { KuvendIo, KuvendSocket } from '../socket-server.js';
import { rooms } from '../rooms.js';
import { respond } from '../respond.js';

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
