import { DomainError } from '../src/lib/shared/errors.js';
import type { Logger } from './logger.js';

/** What a refusal during a stop says (the pages word the code 'restarting' in the member's language). */
export const RESTARTING = 'server_restarting';

/**
 * The process's running state, in the app context. Once `drain` is called, new casts, document edits and form
 * writes are refused with the code 'restarting' (`refuseIfDraining`), while work accepted before — `track`ed —
 * runs to its answer; `settled` resolves once none is left, so the stop sends every acknowledgement it owes.
 */
export class Lifecycle {
	#draining = false;
	readonly #inFlight = new Set<Promise<unknown>>();

	get draining(): boolean {
		return this.#draining;
	}

	/** From now on new writes are refused. */
	drain(): void {
		this.#draining = true;
	}

	/** Throws the 'restarting' refusal once the process is stopping. */
	refuseIfDraining(): void {
		if (this.#draining) throw new DomainError('restarting', RESTARTING);
	}

	/**
	 * Runs an accepted write (refused at once when draining) and keeps it counted until it is answered. The check
	 * and the start happen in one turn: a drain that begins after it lets the write finish and waits for it.
	 */
	track<T>(work: () => Promise<T>): Promise<T> {
		this.refuseIfDraining();
		const running = work();
		// Counted until settled either way; the caller handles the outcome of `running` itself.
		const counted: Promise<void> = running.then(
			() => void this.#inFlight.delete(counted),
			() => void this.#inFlight.delete(counted)
		);
		this.#inFlight.add(counted);
		return running;
	}

	/**
	 * Resolves once every tracked write has been answered, waiting at least `graceMs` first: messages a client sent
	 * before the drain reached it still arrive, and each gets its answer (a refusal) before the connection closes.
	 */
	async settled(graceMs = 0): Promise<void> {
		if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
		while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
	}
}

/** How long a drain keeps connections open after telling clients, for what they sent before they heard it. */
export const DRAIN_GRACE_MS = 300;

/** How long a stop may take before the process exits anyway (connections that will not close, a stuck write). */
export const STOP_DEADLINE_MS = 10_000;

/**
 * Stops on a signal: runs `stop` (the drain, see RunningApp.stop) and exits 0, or exits 1 when it fails or takes
 * longer than `deadlineMs`, so a stop never hangs a restart.
 */
export function stopOnSignal(stop: () => Promise<void>, logger: Logger, signal: string, deadlineMs = STOP_DEADLINE_MS, exit: (code: number) => void = process.exit): void {
	logger.info('shutting down', { signal });
	const deadline = setTimeout(() => {
		logger.error('the stop took too long; exiting without waiting for the rest', { deadlineMs });
		exit(1);
	}, deadlineMs);
	stop()
		.then(() => exit(0))
		.catch((error: unknown) => {
			logger.error('the stop failed', { error });
			exit(1);
		})
		.finally(() => clearTimeout(deadline));
}
