import type { Logger } from '../logger.js';

export interface CoalesceOptions<K> {
	/** At most one run per key in this many milliseconds; calls in between are gathered into the next run. */
	intervalMs: number;
	/**
	 * Run a quiet key's first call at once (on the next turn of the event loop), and later ones once the interval since
	 * the last run has passed. Without it every run waits the interval after the first call, so a burst is one run.
	 */
	leading?: boolean;
	/** The work, per key. Its errors are logged as `${name} failed`. */
	run: (key: K) => unknown;
	name: string;
	logger: Logger;
}

/** Keyed coalescing of repeated work (hocuspocus `packages/server/src/util/debounce.ts` is the model). */
export interface Coalescer<K> {
	/** Asks for a run of `key`; one already pending takes this call in. */
	schedule(key: K): void;
	/** Runs `key` now if a run is pending (before what follows it must see it), otherwise nothing. */
	flush(key: K): void;
	/** Forgets `key`: its pending run, and when it last ran. */
	cancel(key: K): void;
	/**
	 * The app is stopping: forgets every key and takes no more. Sockets still closing after this (a member leaving a
	 * room) would otherwise start a run against a database that is being closed.
	 */
	stop(): void;
}

export function coalesce<K>({ intervalMs, leading = false, run, name, logger }: CoalesceOptions<K>): Coalescer<K> {
	const pending = new Map<K, NodeJS.Timeout>();
	const lastRun = new Map<K, number>();
	let stopped = false;
	const failed = (key: K, error: unknown) => logger.error(`${name} failed`, { key, error });
	// Synchronously up to the work's first await, so a flushed run is done before whatever the caller does next.
	const fire = (key: K) => {
		pending.delete(key);
		lastRun.set(key, Date.now());
		try {
			void Promise.resolve(run(key)).catch((error: unknown) => failed(key, error));
		} catch (error) {
			failed(key, error);
		}
	};
	return {
		schedule(key) {
			if (stopped || pending.has(key)) return;
			const wait = leading ? Math.max(0, (lastRun.get(key) ?? -Infinity) + intervalMs - Date.now()) : intervalMs;
			pending.set(key, setTimeout(() => fire(key), wait).unref());
		},
		flush(key) {
			const timer = pending.get(key);
			if (timer === undefined) return;
			clearTimeout(timer);
			fire(key);
		},
		cancel(key) {
			clearTimeout(pending.get(key));
			pending.delete(key);
			lastRun.delete(key);
		},
		stop() {
			stopped = true;
			for (const timer of pending.values()) clearTimeout(timer);
			pending.clear();
			lastRun.clear();
		}
	};
}
