/** What an endpoint may be told of (README "Webhooks"); `ping` is the test event, sent only when asked. */
export const WEBHOOK_EVENTS = ['decision.made', 'meeting.called', 'meeting.changed', 'vote.opened', 'vote.closed', 'thread.created', 'draft.frozen', 'draft.adopted'] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (value: string): value is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(value);

/** One attempt of one delivery, as the endpoint's page lists it. */
export interface WebhookAttemptView {
	at: number;
	eventId: string;
	eventType: string;
	/** The HTTP status the endpoint answered, or null when there was no answer (see `error`). */
	status: number | null;
	/** A problem code (timeout, refused_address, ...) or a short network error; null on an answer. */
	error: string | null;
	durationMs: number;
}

export interface WebhookEndpointView {
	id: number;
	url: string;
	events: WebhookEvent[];
	/** Null: the network's events. */
	organisation: { slug: string; name: string } | null;
	createdBy: string | null;
	createdAt: number;
	disabledAt: number | null;
	/** `failures` (turned off after failing too long) or `by_hand`. */
	disabledReason: string | null;
	failingSince: number | null;
	consecutiveFailures: number;
	/** Deliveries still waiting (new or to be tried again). */
	waiting: number;
	log: WebhookAttemptView[];
}
