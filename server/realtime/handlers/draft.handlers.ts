import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { KuvendIo, KuvendSocket } from '../socket-server.js';
import { rooms } from '../rooms.js';
import { respond } from '../respond.js';
import { DomainError } from '../../../src/lib/shared/errors.js';
import { coalesce } from '../coalesce.js';

const draftSchema = z.object({ draftId: z.number().int().positive() });

/** Socket events of drafts: watch a draft's changes (the service decides who may read it). */
export function registerDraftHandlers(io: KuvendIo, socket: KuvendSocket, ctx: AppContext): void {
	socket.on('draft:watch', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { draftId } = draftSchema.parse(payload);
			// Not found whether it does not exist or may not be read: no existence leak.
			if (!(await ctx.services.drafts.mayRead(socket.data.auth, draftId))) throw new DomainError('not_found', 'no such draft');
			await socket.join(rooms.draft(draftId));
			return {};
		})
	);
	socket.on('draft:unwatch', (payload) => {
		const parsed = draftSchema.safeParse(payload);
		if (parsed.success) void socket.leave(rooms.draft(parsed.data.draftId));
	});
	void io;
}

/**
 * Draft events to the rooms of those already allowed to watch them. Changes are coalesced per draft: each one makes
 * every open page load the draft again, so a burst (comments, a status change with its version) is one reload.
 */
export function attachDraftBroadcaster(io: KuvendIo, ctx: AppContext, intervalMs = 100): void {
	const changes = coalesce<number>({
		intervalMs,
		run: (draftId) => io.to(rooms.draft(draftId)).emit('draft:changed', { draftId }),
		name: 'draft broadcast',
		logger: ctx.logger
	});
	ctx.bus.on('draft.changed', ({ draftId }) => changes.schedule(draftId));
	// A change of status can change who may read: watchers hear of the change first, then ask again.
	ctx.bus.on('document.access_changed', ({ name }) => {
		const id = Number(name.startsWith('draft:') ? name.slice(6) : NaN);
		if (!Number.isSafeInteger(id)) return;
		changes.flush(id);
		io.in(rooms.draft(id)).socketsLeave(rooms.draft(id));
	});
	ctx.bus.on('app.stopping', () => changes.stop());
}
