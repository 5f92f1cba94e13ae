import type { Db } from '../db/client.js';
import { dropEventsBefore, waitingEvents } from '../db/repositories/webhook-event.repository.js';
import type { EventBus, EventName } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { RETRY_FOR_MS } from '../domain/webhooks.js';
import { SerialRuns } from './serial-runs.js';
import type { WebhooksService } from './webhooks.service.js';

/** Events taken in one batch (one read of the endpoints); more wait for the next batch of the same pass. */
const BATCH = 100;

/**
 * The domain events of the changes that record a webhook event (webhook-event.repository.ts) in their transaction:
 * heard after the commit, on the node where the change was made.
 */
const RECORDING: readonly EventName[] = ['vote.opened', 'vote.closed', 'forum.thread_created', 'draft.status_changed', 'meeting.called', 'meeting.changed'];

/**
 * Turns the webhook events recorded with their changes into deliveries, on the node that holds the lease (context.ts),
 * as WebhookDeliverer then sends them. Nothing is lost between a commit and the queueing: the event waits in its
 * table through a crash or a stop, and is taken at the next pass here or on the node that takes the lease. A pass
 * runs when a change was made on any node (webhooks.recorded), on a timer, and when the lease is taken (at start).
 * Events older than the deliveries' retry window are dropped unannounced: that late, they would be news of a day gone.
 */
export class WebhookFollower {
	readonly #runs: SerialRuns;

	constructor(
		private readonly db: Db,
		private readonly hooks: Pick<WebhooksService, 'take'>,
		private readonly bus: EventBus,
		private readonly logger: Logger,
		private readonly clock: () => number = Date.now
	) {
		this.#runs = new SerialRuns(
			() => this.#pass(),
			(error) => this.logger.error('turning webhook events into deliveries failed', { error })
		);
	}

	/**
	 * Tells the node holding the lease, wherever it is, that a change recorded an event here: the change's own domain
	 * event is heard on this node's bus only. (A live room's churn says meeting.changed without recording anything;
	 * its pass finds nothing new.)
	 */
	follow(): () => void {
		const recorded = () => this.bus.emit('webhooks.recorded', {});
		const offs = RECORDING.map((event) => this.bus.on(event, recorded));
		return () => offs.forEach((off) => off());
	}

	/** Takes what waits; calls during a pass fold into one more pass. */
	flush(): Promise<void> {
		return this.#runs.run();
	}

	/** Resolves once every event recorded before the call has been taken (tests). */
	drained(): Promise<void> {
		return this.#runs.drained();
	}

	async #pass(): Promise<void> {
		for (;;) {
			const events = await waitingEvents(this.db, BATCH);
			// Looked for only when the oldest is stale: most passes find nothing waiting and write nothing.
			if (events.length && events[0].created_at < this.clock() - RETRY_FOR_MS) {
				const dropped = await dropEventsBefore(this.db, this.clock() - RETRY_FOR_MS);
				this.logger.warn('webhook events recorded more than a day ago were dropped unannounced', { dropped });
				continue;
			}
			// In order: an event that fails stops the pass, and it and those after it wait for the next one.
			if (events.length) await this.hooks.take(events);
			if (events.length < BATCH) return;
		}
	}

	/** At stop: the pass under way ends; what still waits is taken at the next start, or by the node taking the lease. */
	close(): Promise<void> {
		return this.#runs.idle((error) => this.logger.debug('a webhook events pass ended in an error at stop', { error: String(error) }));
	}
}
