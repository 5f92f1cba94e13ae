import type { KuvendSocket } from '$lib/realtime/socket';
import type { Ack } from '$lib/shared/errors';
import type { CastOutcome, CastRequest } from '$lib/shared/votes';

export interface SendOptions {
	/** How many times the cast is sent before giving up (each waits for a connection). */
	sends: number;
	ackMs: number;
	/** How long to wait for the socket to (re)connect before a send. */
	reconnectMs: number;
	/** Told before each send after the first. */
	onResend?: () => void;
}

/**
 * Sends a cast over the socket until it is answered: when the connection drops (or the answer times out) first, the
 * same payload — the same cast id — is sent again once the socket has reconnected, and the server answers a cast it
 * already counted with its first answer. Null when no send was answered.
 */
export async function castUntilAnswered(socket: KuvendSocket, payload: { voteId: number } & CastRequest, o: SendOptions): Promise<Ack<CastOutcome> | null> {
	for (let sent = 0; sent < o.sends; sent++) {
		if (sent > 0) o.onResend?.();
		if (!(await connected(socket, o.reconnectMs))) return null;
		const answer = await socket
			.timeout(o.ackMs)
			.emitWithAck('vote:cast', payload)
			.catch(() => null);
		if (answer) return answer;
	}
	return null;
}

/** Whether the socket is connected, waiting up to `ms` for it to reconnect. */
function connected(socket: KuvendSocket, ms: number): Promise<boolean> {
	if (socket.connected) return Promise.resolve(true);
	return new Promise((resolve) => {
		const done = (ok: boolean) => {
			clearTimeout(timer);
			socket.off('connect', onConnect);
			resolve(ok);
		};
		const onConnect = () => done(true);
		const timer = setTimeout(() => done(false), ms);
		socket.on('connect', onConnect);
	});
}
