import type { LiveState } from '$lib/shared/meetings';
import type { VoteTally } from '$lib/shared/votes';
import { onConnected, type KuvendSocket } from '$lib/realtime/socket';

/**
 * A meeting's live room as a screen follows it: joins on every (re)connect (rooms are per connection), takes each
 * 'meeting:state', keeps the server's clock (speaking timers count from the server's `startedAt`, corrected by the
 * `at` of the latest state), and watches the votes it is asked to, keeping their latest figures.
 */
export class MeetingRoom {
	state = $state<LiveState>() as LiveState;
	/** The connection dropped (or could not be made): what is shown may be behind. */
	offline = $state(false);
	/** The server's time now, to the second. */
	now = $state(Date.now());
	tallies = $state<Record<number, VoteTally>>({});
	#skew = 0;
	#watched = new Set<number>();
	#socket: KuvendSocket | null = null;

	/** `initial` is the state the page loaded (server-rendered); `connect` follows it from then on. */
	constructor(initial: LiveState) {
		this.#take(initial);
	}

	#take(s: LiveState) {
		this.state = s;
		this.#skew = s.at - Date.now();
		this.now = s.at;
	}

	#tally = (t: VoteTally) => {
		if (!this.#watched.has(t.voteId)) return;
		// Final figures are not replaced by a late tally from before the close.
		if (this.tallies[t.voteId]?.status === 'closed' && t.status !== 'closed') return;
		this.tallies[t.voteId] = t;
	};

	/**
	 * Connects; returns the disconnect. `onRefused` hears a refused join (signed out, no access). `watchOnly`: follow
	 * the room without being shown as here (the projector).
	 */
	connect(socket: KuvendSocket, onRefused?: (code: string) => void, watchOnly = false): () => void {
		const s = (this.#socket = socket);
		const onState = (next: LiveState) => {
			if (next.meetingId === this.state.meetingId) this.#take(next);
		};
		const join = () => {
			this.offline = false;
			s.emit('meeting:join', { meetingId: this.state.meetingId, watchOnly }, (res) => {
				if (res.ok) this.#take(res.state);
				else onRefused?.(res.code);
			});
			const again = [...this.#watched];
			this.#watched.clear();
			this.watch(again);
		};
		const down = () => (this.offline = true);
		const tick = setInterval(() => (this.now = Date.now() + this.#skew), 1000);
		s.on('meeting:state', onState);
		s.on('vote:tally', this.#tally);
		s.on('vote:closed', this.#tally);
		s.on('disconnect', down);
		s.on('connect_error', down);
		const off = onConnected(s, join);
		return () => {
			off();
			clearInterval(tick);
			s.off('meeting:state', onState);
			s.off('vote:tally', this.#tally);
			s.off('vote:closed', this.#tally);
			s.off('disconnect', down);
			s.off('connect_error', down);
			s.emit('meeting:leave', { meetingId: this.state.meetingId });
			for (const voteId of this.#watched) s.emit('vote:unwatch', { voteId });
			this.#watched.clear();
			this.#socket = null;
		};
	}

	/** Watches these votes (those not yet watched); their figures arrive in `tallies`. */
	watch(voteIds: number[]): void {
		for (const voteId of voteIds) {
			if (this.#watched.has(voteId)) continue;
			this.#watched.add(voteId);
			if (!this.#socket?.connected) continue;
			this.#socket.emit('vote:watch', { voteId }, (res) => {
				if (res.ok) this.#tally(res.tally);
			});
		}
	}
}
