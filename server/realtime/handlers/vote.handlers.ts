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

/** Sockets written to in one go before the event loop gets a turn (the writer's acks go out in between). */
const SLICE = 100;

/**
 * How often a vote's live figures go out, start to start: at most twice a second, so that each watcher has them at
 * least once a second even while a fan-out to ten thousand sockets takes most of the interval.
 */
export const TALLY_EVERY_MS = 500;

/**
 * Vote figures to the rooms of those allowed them. Casts are coalesced (coalesce, leading): at most one fan-out per
 * vote per `intervalMs`, the first at once, the rest gathered until the interval has passed.
 *
 * A fan-out to thousands of watchers is written a slice of sockets at a time, and before each slice it waits for
 * the ballot writer to be settled: a voter's acknowledgement never waits behind tallies being written to thousands
 * of sockets (written at once, a tally held the one thread for 13–50 ms at 1,000 watchers and ~130 ms at 5,000; at
 * ten tallies a second, tally writes took 41 % of the server's CPU while 2,000 voters cast, tests/bench/votes.bench.ts).
 * A fan-out is never abandoned for a newer one (that left the sockets at the end of the room without any tally for
 * over a second): newer figures asked for meanwhile are loaded between slices and go to the sockets not yet written,
 * and one more fan-out follows, so that every watcher ends up holding the latest figures. A close stops what is
 * being written and sends the final figures to everyone watching.
 *
 * With several nodes, one stream per vote, not one per node: casts on every node reach the node holding the lease
 * on the scheduled work (ctx.leadership), which alone coalesces them and sends each tally through the adapter to the
 * rooms on every node (each node writes to its own sockets). The final figures go out from the node that closed it.
 */
export function attachVoteBroadcaster(io: KuvendIo, ctx: AppContext, intervalMs = TALLY_EVERY_MS): void {
	const { votes } = ctx.services;
	/** Votes whose fan-out is being written, with whether newer figures were asked for meanwhile. */
	const writing = new Map<number, { newer: boolean; stopped: boolean }>();
	const failed = (error: unknown) => ctx.logger.error('vote broadcast failed', { error });
	const roomOf = (room: string) => io.of('/').adapter.rooms.get(room);
	const socketsIn = (room: string) => [...(roomOf(room) ?? [])];

	const fanOut = async (voteId: number) => {
		const state = { newer: false, stopped: false };
		writing.set(voteId, state);
		try {
			let t = await votes.liveTallies(voteId);
			if (!t || t.participation.status === 'closed') return;
			const ids = [...(t.full ? socketsIn(rooms.voteResults(voteId)) : []), ...socketsIn(rooms.vote(voteId))];
			const seen = new Set<string>();
			for (let i = 0; i < ids.length; i += SLICE) {
				if (i > 0) await new Promise((r) => setImmediate(r));
				await votes.ballotsSettled();
				if (state.newer) {
					state.newer = false;
					t = await votes.liveTallies(voteId);
				}
				if (state.stopped || !t || t.participation.status === 'closed') return;
				// Rooms as they are now: a watcher who left (or lost access) since the fan-out began gets nothing.
				const [fullRoom, room] = [roomOf(rooms.voteResults(voteId)), roomOf(rooms.vote(voteId))];
				const full: string[] = [];
				const participation: string[] = [];
				for (const id of ids.slice(i, i + SLICE)) {
					if (seen.has(id)) continue;
					seen.add(id);
					if (t.full && fullRoom?.has(id)) full.push(id);
					else if (room?.has(id)) participation.push(id);
				}
				if (full.length) io.to(full).emit('vote:tally', t.full!);
				if (participation.length) io.to(participation).emit('vote:tally', t.participation);
			}
		} finally {
			if (writing.get(voteId) === state) writing.delete(voteId);
		}
		// Those written before newer figures came have older ones: one more fan-out, once the interval allows.
		if (state.newer && !state.stopped) tallies.schedule(voteId);
	};

	const send = async (voteId: number) => {
		const running = writing.get(voteId);
		if (running) {
			running.newer = true;
			return;
		}
		if (!ctx.shared) return fanOut(voteId);
		const t = await votes.liveTallies(voteId);
		if (!t || t.participation.status === 'closed') return;
		io.to(rooms.vote(voteId)).except(rooms.voteResults(voteId)).emit('vote:tally', t.participation);
		if (t.full) io.to(rooms.voteResults(voteId)).emit('vote:tally', t.full);
	};

	const tallies = coalesce<number>({ intervalMs, leading: true, run: send, name: 'vote broadcast', logger: ctx.logger });
	ctx.nodeEvents.on('vote.cast', ({ voteId }) => {
		if (ctx.leadership.held) tallies.schedule(voteId);
	});

	// Every node forgets the vote's pending tally; the node where it closed sends the final figures.
	ctx.nodeEvents.on('vote.closed', ({ voteId }) => {
		tallies.cancel(voteId);
		const running = writing.get(voteId);
		if (running) running.stopped = true;
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
		for (const running of writing.values()) running.stopped = true;
	});
}
