/**
 * Background work run one pass at a time (a queue drained from the database): a call while a pass is under way asks
 * for one more pass after it, however many calls came meanwhile, so nothing queued during a pass waits for the next
 * wake-up and passes never overlap.
 */
export class SerialRuns {
	#running: Promise<void> | null = null;
	#again = false;

	/** `pass`: the work of one pass; `onError`: told of a failed pass that nobody awaits (the one run again). */
	constructor(
		private readonly pass: () => Promise<void>,
		private readonly onError: (error: unknown) => void
	) {}

	/** Starts a pass (`pass`, or this one), or asks for one more after the pass under way; resolves when that one ends. */
	run(pass: () => Promise<void> = this.pass): Promise<void> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = pass().finally(() => {
			this.#running = null;
			if (this.#again) {
				this.#again = false;
				void this.run().catch(this.onError);
			}
		});
		return this.#running;
	}

	/** Resolves once a pass started after this call has ended (and any it asked for). */
	async drained(pass: () => Promise<void> = this.pass): Promise<void> {
		while (this.#running) await this.#running;
		await this.run(pass);
		while (this.#running) await this.#running;
	}

	/** Waits for the pass under way, whatever its end (at stop: a failure was told to whoever started it). */
	async idle(onError: (error: unknown) => void): Promise<void> {
		while (this.#running) await this.#running.catch(onError);
	}
}
