import { describe, expect, it } from 'vitest';
import { isLoopback, metricsAccess } from '../../server/http/metrics-endpoint.js';

describe('who may read /metrics', () => {
	const token = 'the-scrape-token-0123456789';

	it('lets a scraper on this machine in without a token, unless it came through a proxy', () => {
		for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
			expect(metricsAccess(null, { address, authorization: undefined, proxied: false })).toBe('allowed');
			expect(metricsAccess(token, { address, authorization: undefined, proxied: false })).toBe('allowed');
		}
		// A reverse proxy on the same host connects from loopback for everybody: its requests say so.
		expect(metricsAccess(null, { address: '127.0.0.1', authorization: undefined, proxied: true })).toBe('hidden');
		expect(metricsAccess(token, { address: '127.0.0.1', authorization: undefined, proxied: true })).toBe('unauthorized');
	});

	it('hides the endpoint from other machines when no token is set, and asks them for it when one is', () => {
		expect(metricsAccess(null, { address: '203.0.113.4', authorization: undefined, proxied: false })).toBe('hidden');
		expect(metricsAccess(token, { address: '203.0.113.4', authorization: undefined, proxied: false })).toBe('unauthorized');
		expect(metricsAccess(token, { address: '203.0.113.4', authorization: `Bearer ${token}`, proxied: true })).toBe('allowed');
		expect(metricsAccess(token, { address: '203.0.113.4', authorization: `bearer ${token}`, proxied: false })).toBe('allowed');
	});

	it('refuses a wrong, partial or malformed token from anywhere, and any token when none is set', () => {
		for (const authorization of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, token, `Basic ${token}`, 'Bearer ', `Bearer ${token} extra`]) {
			expect(metricsAccess(token, { address: '203.0.113.4', authorization, proxied: false })).toBe('unauthorized');
			expect(metricsAccess(token, { address: '127.0.0.1', authorization, proxied: false })).toBe('unauthorized');
		}
		expect(metricsAccess(null, { address: '127.0.0.1', authorization: `Bearer ${token}`, proxied: false })).toBe('unauthorized');
	});

	it('knows loopback addresses', () => {
		expect(isLoopback('127.0.0.1')).toBe(true);
		expect(isLoopback('::1')).toBe(true);
		expect(isLoopback('128.0.0.1')).toBe(false);
		expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
		expect(isLoopback('1127.0.0.1')).toBe(false);
	});
});
