import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { KuvendIo, KuvendSocket } from '../socket-server.js';
import { rooms } from '../rooms.js';
import { respond } from '../respond.js';

const voteSchema = z.object({ voteId: z.number().int().positive() });
const castSchema = z.object({
	voteId: z.number().int().positive(),
	// The ballot's shape is the service's to check (ballotSchema and the vote's own rules).
	ballot: z.unknown(),
	replace: z.boolean().optional(),
	receipt: z.string().max(20).optional(),
	organisationId: z.number().int().positive().optional()
});

/** Socket events of votes: watch live figures, cast with an acknowledgement. The service decides everything. */
export function registerVoteHandlers(io: KuvendIo, socket: KuvendSocket, ctx: AppContext): void {
	const { votes } = ctx.services;
	const auth = () => socket.data.auth;

	/** Joins the vote's rooms as far as the service lets this member see it now. */
	const watch = async (voteId: number) => {
		const { full, tally } = await votes.watch(auth(), voteId);
		await socket.join(full ? [rooms.vote(voteId), rooms.voteResults(voteId)] : rooms.vote(voteId));
		return tally;
	};

	socket.on('vote:watch', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { voteId } = voteSchema.parse(payload);
			return { tally: await watch(voteId) };
		})
	);

	socket.on('vote:unwatch', (payload) => {
		const parsed = voteSchema.safeParse(payload);
		if (!parsed.success) return;
		void socket.leave(rooms.vote(parsed.data.voteId));
		void socket.leave(rooms.voteResults(parsed.data.voteId));
	});

	socket.on('vote:cast', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { voteId, ballot, replace, receipt, organisationId } = castSchema.parse(payload);
			const outcome = await votes.cast(auth(), voteId, { ballot, replace, receipt, organisationId });
			// Results shown "after voting": a watcher who just voted now gets them live.
			if (socket.rooms.has(rooms.vote(voteId)) && !socket.rooms.has(rooms.voteResults(voteId)) && votes.revealsOnVoting(voteId)) await watch(voteId);
			return outcome;
		})
	);
	void io;
}

/**
 * Vote figures to the rooms of those allowed them. Casts are coalesced: at most one tally per vote per `intervalMs`
 * (the first at once, the rest gathered until the interval has passed). A close cancels what is pending and sends
 * the final figures to everyone watching.
 */
export function attachVoteBroadcaster(io: KuvendIo, ctx: AppContext, intervalMs = 100): void {
	const { votes } = ctx.services;
	const pending = new Map<number, NodeJS.Timeout>();
	const lastSent = new Map<number, number>();
	const failed = (error: unknown) => ctx.logger.error('vote broadcast failed', { error });

	const send = async (voteId: number) => {
		pending.delete(voteId);
		lastSent.set(voteId, Date.now());
		const t = await votes.liveTallies(voteId);
		if (!t || t.participation.status === 'closed') return;
		if (t.full) {
			io.to(rooms.vote(voteId)).except(rooms.voteResults(voteId)).emit('vote:tally', t.participation);
			io.to(rooms.voteResults(voteId)).emit('vote:tally', t.full);
		} else io.to(rooms.vote(voteId)).emit('vote:tally', t.participation);
	};

	ctx.bus.on('vote.cast', ({ voteId }) => {
		if (pending.has(voteId)) return;
		const wait = Math.max(0, (lastSent.get(voteId) ?? 0) + intervalMs - Date.now());
		pending.set(voteId, setTimeout(() => void send(voteId).catch(failed), wait).unref());
	});

	ctx.bus.on('vote.closed', ({ voteId }) => {
		clearTimeout(pending.get(voteId));
		pending.delete(voteId);
		lastSent.delete(voteId);
		void votes
			.liveTallies(voteId)
			.then((t) => {
				if (t?.full) io.to(rooms.vote(voteId)).emit('vote:closed', t.full);
			})
			.catch(failed);
	});

	ctx.bus.on('vote.opened', ({ voteId }) => {
		io.to(rooms.vote(voteId)).emit('vote:changed', { voteId });
	});
}
