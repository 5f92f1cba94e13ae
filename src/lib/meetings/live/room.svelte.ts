import { m } from '$lib/paraglide/messages';
import { refusalText } from '$lib/realtime/refusals';
import type { KuvendSocket } from '$lib/realtime/socket';
import { watchRoom } from '$lib/realtime/watch-room';
import type { Ack } from '$lib/shared/errors';
import type { LiveState, MeetingAction } from '$lib/shared/meetings';
import type { VoteTally } from '$lib/shared/votes';
import { VoteLive } from '$lib/votes/live.svelte';

/** Where an error is shown: next to the control that caused it (a phone shows one section at a time). */
export type Scope = 'room' | 'presence' | 'people' | 'speakers' | 'agenda' | 'votes';

/**
 * The live room of one meeting in this tab: the room's state as the server last sent it, whether the socket is
 * connected, the live figures of the votes watched, and the room's controls (each answered by an ack).
 *
 * Rooms and vote watches belong to a connection, so every (re)connect joins and watches again and tells the page
 * to reload its data (own ballots, votes opened or closed while away).
 */
export class LiveRoom {
	state = $state<LiveState>() as LiveState;
	connected = $state(false);
	/** Connected at least once: a lost connection is "reconnecting", not "connecting". */
	everConnected = $state(false);
	error = $state<{ scope: Scope; text: string } | null>(null);
	/** The control waiting for its answer (one at a time per tab: double taps send nothing twice). */
	pending = $state<string | null>(null);
	/** The server's clock as of now, ticking each second while someone speaks. */
	now = $state(Date.now());
	votes = $state<Record<number, VoteLive>>({});

	#skew = 0;
	#watched = new Set<number>();
	#socket: KuvendSocket | null = null;

	constructor(
		initial: LiveState,
		/** Called after a reconnect (not the first connect): reload what the page loaded. */
		private readonly onReconnect: () => void = () => undefined
	) {
		this.#take(initial);
	}

	get meetingId(): number {
		return this.state.meetingId;
	}

	#take(next: LiveState): void {
		// A state older than the one shown (an ack overtaken by a broadcast) changes nothing.
		if (this.state && (next.meetingId !== this.state.meetingId || next.at < this.state.at)) return;
		this.state = next;
		this.#skew = next.at - Date.now();
		this.now = next.at;
	}

	/** How long a speech started at `startedAt` (server time) has run. */
	speakingFor(startedAt: number): number {
		return Math.max(0, this.now - startedAt);
	}

	/**
	 * Connects the room to the tab's socket; returns the cleanup (leave, unwatch, stop listening). `watchOnly`: follow
	 * the room without being shown as here (the projector); `visitor`: by a tab without a session (a public meeting's
	 * projector).
	 */
	connect(watchOnly = false, visitor = false): () => void {
		const tally = (t: VoteTally) => this.votes[t.voteId]?.apply(t);
		const room = watchRoom({
			join: (socket, again) => {
				this.#socket = socket;
				this.connected = true;
				this.everConnected = true;
				socket.emit('meeting:join', { meetingId: this.meetingId, watchOnly }, (res) => {
					if (res.ok) this.#take(res.state);
					else this.error = { scope: 'room', text: refusalText(res) };
				});
				for (const id of this.#watched) this.#watch(id);
				if (again) this.onReconnect();
			},
			leave: (socket) => {
				socket.emit('meeting:leave', { meetingId: this.meetingId });
				for (const id of this.#watched) socket.emit('vote:unwatch', { voteId: id });
			},
			on: { 'meeting:state': (s) => this.#take(s), 'vote:tally': tally, 'vote:closed': tally },
			onLost: () => (this.connected = false),
			visitor
		});
		// Speaking timers and the projector's clock.
		const tick = setInterval(() => (this.now = Date.now() + this.#skew), 1000);
		return () => {
			clearInterval(tick);
			room.stop();
			this.#watched.clear();
		};
	}

	/**
	 * Follows these votes' live figures, starting from the page's (`tallies`); votes no longer listed are let go.
	 * The page's figures replace ours after a reload unless they predate a close already seen.
	 */
	follow(tallies: VoteTally[]): void {
		const ids = new Set(tallies.map((t) => t.voteId));
		for (const t of tallies) {
			const live = this.votes[t.voteId];
			if (live) live.reset(t);
			else this.votes[t.voteId] = new VoteLive(t);
			if (!this.#watched.has(t.voteId)) {
				this.#watched.add(t.voteId);
				if (this.#socket?.connected) this.#watch(t.voteId);
			}
		}
		for (const id of [...this.#watched]) {
			if (ids.has(id)) continue;
			this.#watched.delete(id);
			this.#socket?.emit('vote:unwatch', { voteId: id });
		}
	}

	/** Asks again for a vote's figures (after voting, results shown "after voting" become visible). */
	#watch(voteId: number): void {
		this.#socket?.emit('vote:watch', { voteId }, (res: Ack<{ tally: VoteTally }>) => {
			if (res.ok) this.votes[voteId]?.apply(res.tally);
		});
	}

	rewatch(voteId: number): void {
		if (this.#watched.has(voteId)) this.#watch(voteId);
	}

	/** Sends one of the room's controls; the answer is an ack, the new state arrives as 'meeting:state'. */
	act(action: MeetingAction, scope: Scope, key: string = action.type): Promise<boolean> {
		const socket = this.#socket;
		if (!socket?.connected) {
			this.error = { scope, text: m.live_error_offline() };
			return Promise.resolve(false);
		}
		if (this.pending) return Promise.resolve(false);
		this.pending = key;
		this.error = null;
		return new Promise((resolve) => {
			socket.timeout(10_000).emit('meeting:act', { meetingId: this.meetingId, action }, (err, res) => {
				this.pending = null;
				if (err) this.error = { scope, text: m.live_error_timeout() };
				else if (!res.ok) this.error = { scope, text: refusalText(res) };
				resolve(!err && res.ok);
			});
		});
	}

	errorIn(scope: Scope): string | null {
		return this.error?.scope === scope ? this.error.text : null;
	}

	dismiss(): void {
		this.error = null;
	}
}
