import { createHmac } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { WebhookEvent } from '../../src/lib/shared/webhooks.js';

/** How long a delivery is tried before it is given up. */
export const RETRY_FOR_MS = 24 * 60 * 60 * 1000;
/** The first retry waits this long; each next one twice as long, up to MAX_RETRY_DELAY_MS. */
export const FIRST_RETRY_MS = 60_000;
export const MAX_RETRY_DELAY_MS = 4 * 60 * 60 * 1000;
/** An endpoint failing this long without one success is turned off (and whoever registered it told). */
export const DISABLE_AFTER_MS = RETRY_FOR_MS;
/** ...or after this many failed attempts in a row, whichever comes first. */
export const DISABLE_AFTER_FAILURES = 30;
/** The attempts kept per endpoint in its log (older ones are deleted as new ones are written). */
export const LOG_KEEP = 100;
/** At most so many endpoints per organisation, and for the network. */
export const MAX_ENDPOINTS = 10;
/** How much of an answer is read (and then thrown away): an endpoint cannot make the server read forever. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const MAX_URL_LENGTH = 2000;

/**
 * What a change records for the webhooks in its own transaction (the webhook_events table), and the webhook events
 * each may be announced as: a closed vote also announces its decision; a meeting called or changed is compared with
 * what was last announced of it, so either may turn out a call, a change or nothing.
 */
export const RECORDED_EVENTS = {
	'vote.opened': ['vote.opened'],
	'vote.closed': ['vote.closed', 'decision.made'],
	'thread.created': ['thread.created'],
	'draft.frozen': ['draft.frozen'],
	'draft.adopted': ['draft.adopted'],
	'meeting.called': ['meeting.called', 'meeting.changed'],
	'meeting.changed': ['meeting.called', 'meeting.changed']
} as const satisfies Record<string, readonly WebhookEvent[]>;

export type RecordedEvent = keyof typeof RECORDED_EVENTS;

/** The webhook events a recorded event may be announced as; none for a type this version does not know. */
export function announcedAs(type: string): readonly WebhookEvent[] {
	return Object.hasOwn(RECORDED_EVENTS, type) ? RECORDED_EVENTS[type as RecordedEvent] : [];
}

/** The event a draft's move records, if webhooks announce that move (frozen for a vote, adopted). */
export function draftMoveEvent(to: string): RecordedEvent | null {
	return to === 'frozen' ? 'draft.frozen' : to === 'adopted' ? 'draft.adopted' : null;
}

/** `Kuvend-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as README "Webhooks" documents it. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
	const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
	return `t=${unixSeconds},v1=${mac}`;
}

/**
 * When a delivery that has failed `attempts` times is tried next: a minute, then twice as long each time (at most four
 * hours), and null once that would be past 24 hours after the event (given up).
 */
export function nextAttemptAt(createdAt: number, attempts: number, now: number): number | null {
	const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
	const next = now + delay;
	return next > createdAt + RETRY_FOR_MS ? null : next;
}

/** Whether an endpoint that just failed again must be turned off. */
export function mustDisable(failingSince: number, consecutiveFailures: number, now: number): boolean {
	return now - failingSince >= DISABLE_AFTER_MS || consecutiveFailures >= DISABLE_AFTER_FAILURES;
}

/**
 * Addresses a webhook may never reach (unless WEBHOOKS_ALLOW_PRIVATE=1): this host, the private networks, link-local,
 * unique-local, carrier-grade NAT, multicast, reserved and unspecified addresses, in IPv4 and IPv6.
 */
const BLOCKED = (() => {
	const list = new BlockList();
	for (const [net, bits] of [
		['0.0.0.0', 8],
		['10.0.0.0', 8],
		['100.64.0.0', 10],
		['127.0.0.0', 8],
		['169.254.0.0', 16],
		['172.16.0.0', 12],
		['192.0.0.0', 24],
		['192.168.0.0', 16],
		['198.18.0.0', 15],
		['224.0.0.0', 4],
		['240.0.0.0', 4]
	] as const)
		list.addSubnet(net, bits, 'ipv4');
	for (const [net, bits] of [
		['::', 128],
		['::1', 128],
		['fc00::', 7],
		['fe80::', 10],
		['fec0::', 10],
		['ff00::', 8],
		['100::', 64],
		['2001:db8::', 32]
	] as const)
		list.addSubnet(net, bits, 'ipv6');
	return list;
})();

/** IPv4 carried inside an IPv6 address (::ffff:a.b.c.d, ::a.b.c.d, NAT64 64:ff9b::/96), so it is judged as IPv4. */
function embeddedIpv4(address: string): string | null {
	const lower = address.toLowerCase();
	const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
	if (dotted) return dotted[1];
	const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
	if (!hex) return null;
	const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
	return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether an IP address is one a webhook may not reach. Anything that is not an address is refused too. */
export function isForbiddenAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const family = isIP(bare);
	if (family === 0) return true;
	if (family === 4) return BLOCKED.check(bare, 'ipv4');
	const v4 = embeddedIpv4(bare);
	return v4 ? BLOCKED.check(v4, 'ipv4') : BLOCKED.check(bare, 'ipv6');
}

export type UrlProblem = 'required' | 'too_long' | 'hook_url_invalid' | 'hook_url_scheme' | 'hook_url_credentials' | 'hook_url_private';

/** The URL's own shape: http or https, a host, no user or password. Where it leads is checked apart (DNS). */
export function webhookUrlProblem(raw: string): UrlProblem | null {
	const value = raw.trim();
	if (!value) return 'required';
	if (value.length > MAX_URL_LENGTH) return 'too_long';
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'hook_url_invalid';
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'hook_url_scheme';
	if (!url.hostname) return 'hook_url_invalid';
	if (url.username || url.password) return 'hook_url_credentials';
	return null;
}
