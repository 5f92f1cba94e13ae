import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { KuvendIo, KuvendSocket } from '../socket-server.js';
import { rooms } from '../rooms.js';
import { respond } from '../respond.js';
import { coalesce } from '../coalesce.js';
import { castRequestSchema } from '../../../src/lib/shared/vote-schemas.js';
import type { VoteTally } from '../../../src/lib/shared/votes.js';

const voteSchema = z.object({ voteId: z.number().int().positive() });
const castSchema = castRequestSchema.extend(voteSchema.shape);

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
			const { voteId, ...request } = castSchema.parse(payload);
			const outcome = await votes.cast(auth(), voteId, request);
			// Results shown "after voting": a watcher who just voted now gets them live.
			if (socket.rooms.has(rooms.vote(voteId)) && !socket.rooms.has(rooms.voteResults(voteId)) && votes.revealsOnVoting(voteId)) await watch(voteId);
			return outcome;
		})
	);
	void io;
}

/** Sockets written to in one go before the event loop gets a turn (acks of casts go out in between). */
const SLICE = 250;

/**
 * Vote figures to the rooms of those allowed them. Casts are coalesced (coalesce, leading): at most one tally per
 * vote per `intervalMs`, the first at once, the rest gathered until the interval has passed. A tally to thousands of
 * watchers is written a slice of sockets at a time, yielding between slices: written at once, it held the one thread
 * for 13–50 ms at 1,000 watchers and ~130 ms at 5,000, and every cast arriving meanwhile waited for its ack
 * (tests/bench/votes.bench.ts). A close cancels what is pending, or still being written, and sends the final figures
 * to everyone watching.
 *
 * With several nodes, one stream per vote, not one per node: casts on every node reach the node holding the lease
 * on the scheduled work (ctx.leadership), which alone coalesces them and sends each tally through the adapter to the
 * rooms on every node (each node writes to its own sockets). The final figures go out from the node that closed it.
 */
export function attachVoteBroadcaster(io: KuvendIo, ctx: AppContext, intervalMs = 100): void {
	const { votes } = ctx.services;
	/** Per vote, which tally is being written; a newer one (or the close) makes the older stop between slices. */
	const generation = new Map<number, number>();
	const failed = (error: unknown) => ctx.logger.error('vote broadcast failed', { error });
	const socketsIn = (room: string) => [...(io.of('/').adapter.rooms.get(room) ?? [])];

	const sliced = async (voteId: number, ids: string[], tally: VoteTally) => {
		const mine = generation.get(voteId);
		for (let i = 0; i < ids.length; i += SLICE) {
			if (i > 0) await new Promise((r) => setImmediate(r));
			if (generation.get(voteId) !== mine) return;
			io.to(ids.slice(i, i + SLICE)).emit('vote:tally', tally);
		}
	};

	const send = async (voteId: number) => {
		generation.set(voteId, (generation.get(voteId) ?? 0) + 1);
		const t = await votes.liveTallies(voteId);
		if (!t || t.participation.status === 'closed') return;
		if (ctx.shared) {
			io.to(rooms.vote(voteId)).except(rooms.voteResults(voteId)).emit('vote:tally', t.participation);
			if (t.full) io.to(rooms.voteResults(voteId)).emit('vote:tally', t.full);
			return;
		}
		const full = new Set(t.full ? socketsIn(rooms.voteResults(voteId)) : []);
		const rest = socketsIn(rooms.vote(voteId)).filter((id) => !full.has(id));
		await Promise.all([sliced(voteId, rest, t.participation), t.full ? sliced(voteId, [...full], t.full) : undefined]);
	};

	const tallies = coalesce<number>({ intervalMs, leading: true, run: send, name: 'vote broadcast', logger: ctx.logger });
	ctx.nodeEvents.on('vote.cast', ({ voteId }) => {
		if (ctx.leadership.held) tallies.schedule(voteId);
	});

	// Every node forgets the vote's pending tally; the node where it closed sends the final figures.
	ctx.nodeEvents.on('vote.closed', ({ voteId }) => {
		tallies.cancel(voteId);
		generation.delete(voteId);
	});
	ctx.bus.on('vote.closed', ({ voteId }) => {
		void votes
			.liveTallies(voteId)
			.then((t) => {
				if (t?.full) io.to(rooms.vote(voteId)).emit('vote:closed', t.full);
			})
			.catch(failed);
	});

	// Opened or cancelled: the vote's pages load it again.
	const changed = ({ voteId }: { voteId: number }) => {
		io.to(rooms.vote(voteId)).emit('vote:changed', { voteId });
	};
	ctx.bus.on('vote.opened', changed);
	ctx.bus.on('vote.cancelled', changed);

	ctx.bus.on('app.stopping', () => {
		tallies.stop();
		generation.clear();
	});
}
