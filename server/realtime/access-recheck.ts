import type { AppContext } from '../context.js';
import type { AccessChange } from '../events/bus.js';
import { sessionTokenOf } from '../http/request-origin.js';
import type { Authenticated } from '../services/auth.service.js';
import { docNameOf } from '../services/drafts.service.js';
import { isDomainError } from '../../src/lib/shared/errors.js';
import { checkedRoom, rooms, type CheckedRoom } from './rooms.js';
import type { KuvendIo, KuvendSocket } from './socket-server.js';
import type { YjsConnection, YjsServer } from './yjs/yjs-server.js';

/** Whether a socket may stay in a room: the same service-layer answer that let it join. */
type RoomCheck = (auth: Authenticated | null, id: number, socket: KuvendSocket) => Promise<boolean>;

/** A refusal (a DomainError) is a no; anything else is a failure the caller logs. */
const allowed = (work: Promise<unknown>): Promise<boolean> =>
	work.then(
		() => true,
		(error: unknown) => {
			if (isDomainError(error)) return false;
			throw error;
		}
	);

function roomChecks({ services: { forum, drafts, votes, meetings } }: AppContext): Record<CheckedRoom, RoomCheck> {
	return {
		thread: (auth, id) => forum.mayRead(auth, id),
		category: (auth, id) => allowed(forum.assertCanWatchCategory(auth, id)),
		draft: (auth, id) => drafts.mayRead(auth, id),
		vote: (auth, id) => allowed(votes.watch(auth, id)),
		voteResults: (auth, id) => votes.watch(auth, id).then(({ full }) => full, (error: unknown) => (isDomainError(error) ? false : Promise.reject(error))),
		meeting: (auth, id, socket) => meetings.mayStay(auth, id, socket.id)
	};
}

/**
 * Access follows the person on every open connection. On `access.changed` (a group joined, left or removed from, a
 * facilitator named or unnamed, a draft's, a space's or a thread's visibility) and `user.access_changed` (a role), every open
 * socket concerned checks each room it is in again, with the checks that let it in, and leaves those it may no
 * longer read; every open Yjs connection concerned is authorised again: it gains write, or loses it (closed and
 * re-admitted as a reader), or is refused when it may no longer read. Sockets of people whose standing changed, and
 * those that lost a room, are told (`access:changed`) so that their pages load again and show what they may do now
 * (the editor turns read-only, a former facilitator's chair controls go).
 *
 * Each node re-checks the sockets and connections it holds; with REDIS_URL the changes reach every node (NodeEvents).
 */
export function attachAccessRecheck(ctx: AppContext, io: KuvendIo, yjs: YjsServer): void {
	const checks = roomChecks(ctx);
	const failed = (error: unknown) => ctx.logger.error('access re-check failed', { error });
	/** Per socket, the re-check running: the next waits for it, so the last change decides. */
	const running = new Map<string, Promise<void>>();
	let stopped = false;

	/**
	 * Checks every room the socket is in; true when it left any. A check that fails counts as a no. A join whose own
	 * check ran just before the change may land while this runs: rooms that appear are checked too, until a turn of
	 * the event loop brings none (the joins' checks are synchronous SQLite reads, done within that turn).
	 */
	const recheckRooms = async (socket: KuvendSocket): Promise<boolean> => {
		const seen = new Set<string>();
		let left = false;
		for (;;) {
			const fresh = [...socket.rooms].filter((name) => !seen.has(name));
			if (!fresh.length || !socket.connected) return left;
			for (const name of fresh) {
				seen.add(name);
				const room = checkedRoom(name);
				if (!room) continue;
				const stay = await checks[room.kind](socket.data.auth, room.id, socket).catch((error: unknown) => (failed(error), false));
				if (stay || !socket.connected) continue;
				await socket.leave(name);
				left = true;
			}
			await new Promise((resolve) => setImmediate(resolve));
		}
	};

	/** `standing`: the person's own access changed, so their session is read again and they are told in any case. */
	const recheckSocket = async (socket: KuvendSocket, standing: boolean, concerned: boolean): Promise<void> => {
		if (stopped || !socket.connected) return;
		if (standing) {
			const auth = await ctx.services.auth.authenticate(sessionTokenOf(socket.request));
			// Signed out or suspended meanwhile: session.revoked tells the tab; this connection ends here.
			if (!auth) return void socket.disconnect(true);
			socket.data.auth = auth;
		}
		const left = await recheckRooms(socket);
		if (socket.connected && (standing || concerned || left)) socket.emit('access:changed');
	};

	const queue = (socket: KuvendSocket, standing: boolean, concerned: boolean) => {
		const previous = running.get(socket.id) ?? Promise.resolve();
		const next = previous.then(() => recheckSocket(socket, standing, concerned)).catch(failed);
		running.set(socket.id, next);
		void next.finally(() => running.get(socket.id) === next && running.delete(socket.id));
		return next;
	};

	const socketsIn = (room: string): KuvendSocket[] =>
		[...(io.sockets.adapter.rooms.get(room) ?? [])].map((id) => io.sockets.sockets.get(id)).filter((s): s is KuvendSocket => !!s);

	const recheckSockets = (change: AccessChange) => {
		if ('userIds' in change) return change.userIds.flatMap((id) => socketsIn(rooms.user(id))).map((s) => queue(s, true, true));
		const concerned = 'draftId' in change ? rooms.draft(change.draftId) : 'threadId' in change ? rooms.thread(change.threadId) : rooms.category(change.categoryId);
		const affected = new Map(socketsIn(concerned).map((s) => [s.id, s]));
		// A space's threads: every socket in a thread room checks again (which thread is in which space is the forum's).
		if ('categoryId' in change) {
			for (const room of io.sockets.adapter.rooms.keys()) {
				if (room.startsWith('thread:')) for (const s of socketsIn(room)) affected.set(s.id, s);
			}
		}
		return [...affected.values()].map((s) => queue(s, false, s.rooms.has(concerned)));
	};

	/** As for rooms, connections admitted while this runs (on a decision taken just before the change) are checked too. */
	const recheckDocuments = async (change: AccessChange) => {
		if ('categoryId' in change || 'threadId' in change) return;
		const concerned = 'userIds' in change ? (c: YjsConnection) => c.userId !== null && change.userIds.includes(c.userId) : (c: YjsConnection) => c.name === docNameOf(change.draftId) || c.name.startsWith(`draft-lang:${change.draftId}-`);
		const seen = new Set<object>();
		for (;;) {
			const fresh = [...yjs.connections()].filter((c) => concerned(c) && !seen.has(c.id));
			if (!fresh.length || stopped) return;
			for (const conn of fresh) {
				seen.add(conn.id);
				try {
					const auth = await conn.reauthenticate();
					const access = await ctx.services.documentAccess.authorize(auth, conn.name).catch((error: unknown) => (isDomainError(error) ? null : Promise.reject(error)));
					conn.allow(access);
				} catch (error) {
					failed(error);
					conn.allow(null);
				}
			}
			await new Promise((resolve) => setImmediate(resolve));
		}
	};

	const recheck = (change: AccessChange) => {
		if (stopped) return;
		void Promise.all([...recheckSockets(change), recheckDocuments(change)]).catch(failed);
	};
	// Heard on every node: each re-checks its own sockets and connections, wherever the change was made.
	ctx.nodeEvents.on('access.changed', recheck);
	ctx.nodeEvents.on('user.access_changed', ({ userId }) => recheck({ userIds: [userId] }));
	ctx.bus.on('app.stopping', () => void (stopped = true));
}
