import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/webhook.repository.js';
import type { Logger } from '../logger.js';
import { LOG_KEEP, mustDisable, nextAttemptAt, RETRY_FOR_MS, signatureHeader } from '../domain/webhooks.js';
import { checkTarget, post, TargetRefused, type SendOutcome } from './webhook-sender.js';
import { SerialRuns } from './serial-runs.js';
import type { WebhooksService } from './webhooks.service.js';

/** Deliveries tried in one run; more wait for the next. */
const BATCH = 50;
/** At most so many requests in flight at once (a slow endpoint cannot hold the others up for long). */
const PARALLEL = 8;

/**
 * Sends the webhook queue, like the Mailer sends the mail outbox, from the node that holds the lease (context.ts).
 * Every attempt checks the URL's addresses again and connects to the address it checked, signs the body, waits at
 * most `timeoutMs`, follows no redirect and reads little of the answer; only a 2xx counts as delivered. A failure is
 * tried again later (nextAttemptAt: backoff for 24 hours); an endpoint failing for too long is turned off and whoever
 * registered it is told.
 */
export class WebhookDeliverer {
	readonly #runs: SerialRuns;

	constructor(
		private readonly db: Db,
		private readonly hooks: WebhooksService,
		private readonly logger: Logger,
		private readonly options: { timeoutMs: number; allowPrivate: boolean; resolve?: (host: string) => Promise<{ address: string; family: number }[]> },
		private readonly clock: () => number = Date.now
	) {
		this.#runs = new SerialRuns(
			() => this.#run(),
			(error) => this.logger.error('webhook delivery failed', { error })
		);
	}

	/** Sends what is due at `now` (the clock by default); calls during a run fold into one more run. */
	flush(now?: number): Promise<void> {
		return this.#runs.run(() => this.#run(now));
	}

	/** Resolves once what is due at `now` has been tried (runs started meanwhile included). */
	drained(now?: number): Promise<void> {
		return this.#runs.drained(() => this.#run(now));
	}

	async #run(at?: number): Promise<void> {
		const now = at ?? this.clock();
		await repo.pruneDeliveries(this.db, now - 7 * RETRY_FOR_MS);
		for (;;) {
			const due = await repo.dueDeliveries(this.db, now, BATCH);
			if (due.length === 0) return;
			for (let i = 0; i < due.length; i += PARALLEL) await Promise.all(due.slice(i, i + PARALLEL).map((d) => this.#attempt(d, now)));
			if (due.length < BATCH) return;
		}
	}

	async #attempt(d: Awaited<ReturnType<typeof repo.dueDeliveries>>[number], now: number): Promise<void> {
		// Its endpoint removed since the batch was read: the delivery went with it, and nothing is sent.
		if (!(await repo.deliveryExists(this.db, d.id))) return;
		if (!(await this.hooks.stillPublic(d.subject))) {
			await repo.deleteDelivery(this.db, d.id);
			return;
		}
		const started = performance.now();
		let outcome: SendOutcome;
		try {
			const target = await checkTarget(d.url, this.options.allowPrivate, this.options.resolve);
			const signature = signatureHeader(d.secret, d.body, Math.floor(now / 1000));
			outcome = await post(target, d.body, { 'kuvend-signature': signature, 'kuvend-event': d.event_type, 'kuvend-event-id': d.event_id }, this.options.timeoutMs);
		} catch (error) {
			if (!(error instanceof TargetRefused)) throw error;
			outcome = { status: null, error: error.code };
		}
		const durationMs = Math.round(performance.now() - started);
		const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
		const attempt = { endpoint_id: d.endpoint_id, event_id: d.event_id, event_type: d.event_type, attempted_at: now, status_code: outcome.status, error: outcome.error, duration_ms: durationMs };
		// Removed while the request was out: nothing is written for an endpoint that is gone (its log and queue went
		// with it). Held while the attempt is logged, so that a removal cannot come between the check and the write.
		const logged = await this.db.transaction().execute(async (trx) => {
			if (!(await repo.holdEndpoint(trx, d.endpoint_id))) return false;
			await repo.logAttempt(trx, attempt);
			return true;
		});
		if (!logged) return;
		await repo.pruneLog(this.db, d.endpoint_id, LOG_KEEP);
		if (ok) {
			await repo.markDelivered(this.db, d.id, now);
			await repo.recordSuccess(this.db, d.endpoint_id);
			return;
		}
		await repo.markAttemptFailed(this.db, d.id, nextAttemptAt(d.created_at, d.attempts + 1, now), now);
		const streak = await repo.recordFailure(this.db, d.endpoint_id, now);
		if (streak && mustDisable(streak.failing_since, streak.consecutive_failures, now) && (await repo.disableForFailures(this.db, d.endpoint_id, now))) {
			this.logger.warn('a webhook endpoint was turned off after failing too long', { endpoint: d.endpoint_id });
			await this.hooks.noticeDisabled(d.endpoint_id);
		}
	}

	close(): Promise<void> {
		return this.#runs.idle((error) => this.logger.debug('a webhook run ended in an error at stop', { error: String(error) }));
	}
}
