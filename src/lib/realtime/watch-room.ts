import { invalidateAll } from '$app/navigation';
import type { ServerToClientEvents } from '$lib/shared/realtime';
import { onConnected, sharedSocket, type KuvendSocket } from './socket';

type Event = keyof ServerToClientEvents;
type Listener = (...args: never[]) => void;
type Matcher = (...args: never[]) => boolean;

export interface RoomSpec {
	/** Asks to be in the room: on connect and again after every reconnect (`again`), as rooms belong to a connection. */
	join: (socket: KuvendSocket, again: boolean) => void;
	/** Leaves the room when the page goes (a connection that dropped is in no room already). */
	leave: (socket: KuvendSocket) => void;
	/** The room's events the page follows. */
	on?: { [E in Event]?: ServerToClientEvents[E] };
	/** Events after which the page reloads its data and joins again (what the member may see may have changed). */
	reloadOn?: { [E in Event]?: (...args: Parameters<ServerToClientEvents[E]>) => boolean };
	/** The connection dropped. */
	onLost?: () => void;
	/** Followed by a visitor's tab (no session): see sharedSocket. */
	visitor?: boolean;
}

export interface RoomWatch {
	/** Joins again now (the answer to a join may change, e.g. results shown after voting). */
	rejoin(): void;
	/** Stops listening and leaves the room. */
	stop(): void;
}

/** Follows one room on the tab's socket for as long as a page shows it (browser only; call from an effect). */
export function watchRoom(spec: RoomSpec): RoomWatch {
	const socket = sharedSocket({ visitor: spec.visitor });
	// The event maps are typed per event above; the socket's own typing cannot follow a loop over them.
	const loose = socket as unknown as { on(event: string, fn: Listener): void; off(event: string, fn: Listener): void };
	let joined = false;
	const join = () => {
		spec.join(socket, joined);
		joined = true;
	};
	const rejoin = () => {
		if (socket.connected) spec.join(socket, false);
	};
	const listeners: [string, Listener][] = [
		...Object.entries(spec.on ?? {}).map(([event, fn]) => [event, fn] as [string, Listener]),
		...Object.entries(spec.reloadOn ?? {}).map(([event, matches]): [string, Listener] => [
			event,
			(...args) => {
				if ((matches as Matcher)(...args)) void invalidateAll().then(rejoin);
			}
		])
	];
	if (spec.onLost) listeners.push(['disconnect', spec.onLost]);
	const stopConnected = onConnected(socket, join);
	for (const [event, fn] of listeners) loose.on(event, fn);
	return {
		rejoin,
		stop() {
			stopConnected();
			for (const [event, fn] of listeners) loose.off(event, fn);
			if (socket.connected) spec.leave(socket);
		}
	};
}
