import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { rooms } from './rooms.js';
import { attachForumBroadcaster, registerForumHandlers } from './handlers/forum.handlers.js';
import { attachDraftBroadcaster, registerDraftHandlers } from './handlers/draft.handlers.js';
import { attachVoteBroadcaster, registerVoteHandlers } from './handlers/vote.handlers.js';
import { attachMeetingBroadcaster, registerMeetingHandlers } from './handlers/meeting.handlers.js';
import type { AppContext } from '../context.js';
import type { SharedState } from '../shared-state.js';
import type { Authenticated } from '../services/auth.service.js';
import { isSameOrigin, sessionTokenOf } from '../http/request-origin.js';
import { isVisitorHandshake, SOCKET_ERRORS, type ClientToServerEvents, type ServerToClientEvents } from '../../src/lib/shared/realtime.js';

export interface SocketData {
	/** The session's person; null for a visitor's tab, which may follow only what the services show visitors. */
	auth: Authenticated | null;
}

export type KuvendIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KuvendSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Socket.IO on the shared http server: same-origin only, authenticated from the session cookie at the handshake.
 * Domain events reach browsers through the subscriptions below; services never touch Socket.IO.
 */
export function attachSocketServer(httpServer: HttpServer, ctx: AppContext): KuvendIo {
	const io: KuvendIo = new Server(httpServer, {
		path: '/socket.io/',
		serveClient: false,
		// The Yjs endpoint shares this http server's upgrade event.
		destroyUpgrade: false,
		allowRequest: (req, callback) => {
			if (!isSameOrigin(ctx.config, req)) return callback(null, false);
			ctx.limits.allow('realtimeConnectsPerIp', ctx.clientAddress(req)).then(
				(allowed) => callback(null, allowed),
				(error: unknown) => {
					ctx.logger.error('socket rate limit failed', { error });
					callback('internal', false);
				}
			);
		}
	});

	io.use(async (socket, next) => {
		try {
			const auth = await ctx.services.auth.authenticate(sessionTokenOf(socket.request));
			// A tab without a session connects only when it says it is a visitor's (a public meeting's projector): a
			// member's tab whose session ended is still told so, and goes to sign in.
			if (!auth && !isVisitorHandshake(socket.handshake.auth)) return next(new Error(SOCKET_ERRORS.unauthenticated));
			socket.data.auth = auth ?? null;
			next();
		} catch (error) {
			ctx.logger.error('socket authentication failed', { error });
			next(new Error('internal'));
		}
	});

	io.on('connection', (socket) => {
		const auth = socket.data.auth;
		if (auth) void socket.join([rooms.user(auth.actor.id), rooms.session(auth.sessionId)]);
		registerForumHandlers(io, socket, ctx);
		registerDraftHandlers(io, socket, ctx);
		registerVoteHandlers(io, socket, ctx);
		registerMeetingHandlers(io, socket, ctx);
		// Connected while the server stops: told at once, like those connected before (see RunningApp.stop).
		if (ctx.lifecycle.draining) socket.emit('server:restarting');
	});
	attachForumBroadcaster(io, ctx);
	attachDraftBroadcaster(io, ctx);
	attachVoteBroadcaster(io, ctx);
	attachMeetingBroadcaster(io, ctx);

	ctx.bus.on('session.revoked', ({ sessionIds, reason }) => {
		for (const id of sessionIds) {
			io.to(rooms.session(id)).emit('auth:signed-out', { reason });
			// A namespace disconnect packet follows the event on the same connection, so it arrives after it.
			io.in(rooms.session(id)).disconnectSockets();
		}
	});
	// A changed role takes effect at once through the access re-check (access-recheck.ts); a suspension also ends
	// the member's sessions (session.revoked above).
	ctx.bus.on('user.preferences_changed', ({ userId, locale }) => {
		io.to(rooms.user(userId)).emit('me:locale', { locale });
	});

	return io;
}

/**
 * With REDIS_URL, rooms and broadcasts span every node: a post on node A reaches a reader on node B, a signed-out
 * session's sockets are disconnected wherever they are. The streams adapter (not pub/sub) keeps reading from where
 * it was when Redis comes back, so broadcasts made during an outage still arrive; it reads on a connection of its own.
 */
export async function attachRedisAdapter(io: KuvendIo, shared: SharedState): Promise<void> {
	// Loaded only with several nodes: a single process starts without it.
	const { createAdapter } = await import('@socket.io/redis-streams-adapter');
	const reader = await shared.connection('socket.io');
	io.adapter(createAdapter(reader, { streamName: shared.key('socket.io'), channelPrefix: shared.key('socket.io'), sessionKeyPrefix: shared.key('sio:session:') }));
}
