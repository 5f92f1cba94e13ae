import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';
import { onConnected, sharedSocket, type KuvendSocket } from '$lib/realtime/socket';
import type { Ack } from '$lib/shared/errors';
import type { LiveState, MeetingAction } from '$lib/shared/meetings';
import type { VoteTally } from '$lib/shared/votes';
import { VoteLive } from '$lib/votes/live.svelte';

/** The service's refusals of the room's controls (DomainError messages), in the reader's language. */
const REFUSALS: Record<string, () => string> = {
	not_chair: m.live_error_not_chair,
	meeting_not_live: m.live_error_meeting_not_live,
	meeting_not_scheduled: m.live_error_meeting_not_scheduled,
	meeting_ended: m.live_error_meeting_ended,
	not_checked_in: m.live_error_not_checked_in,
	already_waiting: m.live_error_already_waiting,
	not_waiting: m.live_error_not_waiting,
	no_speaker: m.live_error_no_speaker,
	no_item: m.live_error_no_item,
	item_done: m.live_error_item_done,
	no_vote: m.live_error_no_vote,
	not_member: m.live_error_not_member
};

/** A refused acknowledgement as a sentence for the member. */
export function refusalText(res: { code: string; message: string }): string {
	return REFUSALS[res.message]?.() ?? failureText(res.code);
}

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
	 * the room without being shown as here (the projector).
	 */
	connect(watchOnly = false): () => void {
		const socket = (this.#socket = sharedSocket());
		let first = true;
		const join = () => {
			this.connected = true;
			this.everConnected = true;
			socket.emit('meeting:join', { meetingId: this.meetingId, watchOnly }, (res) => {
				if (res.ok) this.#take(res.state);
				else this.error = { scope: 'room', text: refusalText(res) };
			});
			for (const id of this.#watched) this.#watch(id);
			if (!first) this.onReconnect();
			first = false;
		};
		const stop = onConnected(socket, join);
		const lost = () => (this.connected = false);
		const state = (s: LiveState) => this.#take(s);
		const tally = (t: VoteTally) => this.votes[t.voteId]?.apply(t);
		socket.on('disconnect', lost);
		socket.on('meeting:state', state);
		socket.on('vote:tally', tally);
		socket.on('vote:closed', tally);
		// Speaking timers and the projector's clock.
		const tick = setInterval(() => (this.now = Date.now() + this.#skew), 1000);
		return () => {
			clearInterval(tick);
			stop();
			socket.off('disconnect', lost);
			socket.off('meeting:state', state);
			socket.off('vote:tally', tally);
			socket.off('vote:closed', tally);
			if (socket.connected) {
				socket.emit('meeting:leave', { meetingId: this.meetingId });
				for (const id of this.#watched) socket.emit('vote:unwatch', { voteId: id });
			}
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
