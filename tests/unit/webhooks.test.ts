import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { announcedAs, draftMoveEvent, isForbiddenAddress, mustDisable, nextAttemptAt, RETRY_FOR_MS, signatureHeader, webhookUrlProblem } from '../../server/domain/webhooks.js';

const MIN = 60_000;

describe('webhook rules', () => {
	it('announces a recorded event as the webhook events it may become, and a type it does not know as none', () => {
		expect(announcedAs('vote.closed')).toEqual(['vote.closed', 'decision.made']);
		expect(announcedAs('meeting.changed')).toEqual(['meeting.called', 'meeting.changed']);
		// Written by a newer version, or a name an object has of its own.
		expect(announcedAs('vote.stolen')).toEqual([]);
		expect(announcedAs('constructor')).toEqual([]);
		expect([draftMoveEvent('frozen'), draftMoveEvent('adopted'), draftMoveEvent('rejected'), draftMoveEvent('review')]).toEqual(['draft.frozen', 'draft.adopted', null, null]);
	});

	it('signs "t.body" with HMAC-SHA256', () => {
		const header = signatureHeader('whsec_k', '{"a":1}', 1700000000);
		expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', 'whsec_k').update('1700000000.{"a":1}').digest('hex')}`);
	});

	it('backs off from a minute, doubling, at most four hours apart, and gives up after 24 hours', () => {
		expect(nextAttemptAt(0, 1, 0)).toBe(MIN);
		expect(nextAttemptAt(0, 2, 0)).toBe(2 * MIN);
		expect(nextAttemptAt(0, 20, 0)).toBe(4 * 60 * MIN);
		expect(nextAttemptAt(0, 3, RETRY_FOR_MS - MIN)).toBeNull();
	});

	it('turns an endpoint off after a day of failures or 30 in a row', () => {
		expect(mustDisable(0, 5, RETRY_FOR_MS - 1)).toBe(false);
		expect(mustDisable(0, 5, RETRY_FOR_MS)).toBe(true);
		expect(mustDisable(0, 30, 1)).toBe(true);
	});

	it('knows the addresses a webhook may not reach', () => {
		for (const a of ['127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.251', '255.255.255.255', '::1', '::', 'fd12::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', 'not-an-ip'])
			expect([a, isForbiddenAddress(a)]).toEqual([a, true]);
		for (const a of ['93.184.216.34', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:93.184.216.34']) expect([a, isForbiddenAddress(a)]).toEqual([a, false]);
	});

	it("checks a URL's shape", () => {
		expect(webhookUrlProblem('')).toBe('required');
		expect(webhookUrlProblem('gopher://x')).toBe('hook_url_scheme');
		expect(webhookUrlProblem('https://a:b@x.org')).toBe('hook_url_credentials');
		expect(webhookUrlProblem('https://x.org/' + 'a'.repeat(2000))).toBe('too_long');
		expect(webhookUrlProblem('https://hooks.example.org/kuvend')).toBeNull();
	});
});
