import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_REQUESTS_PER_MINUTE } from '../../src/lib/shared/api/limits.js';
import { signInAs, startTestApp, type TestApp } from './helpers/app.js';

/**
 * The read API's rate limits with the standard rules: per address, and per token wherever its requests come from
 * (addresses given by a trusted proxy's X-Forwarded-For), sent in parallel bursts. Without the count() calls in
 * admit() (router.ts) neither test gets its 429. (Requests are counted with allow(), one atomic step, rather than a
 * check and then a hit, which are two round trips to Redis that a parallel burst could slip between.)
 */
let app: TestApp;
let token: string;

beforeAll(async () => {
	app = await startTestApp({ RATE_LIMITS: 'standard', TRUST_PROXY: 'loopback' });
	const { auth } = await signInAs(app, 'member1@demo.test');
	({ token } = await app.ctx.services.apiTokens.create(auth, 'limits'));
});
afterAll(async () => app?.dispose());

const read = (address: string, auth?: string) =>
	fetch(`${app.url}/api/v1/fields?limit=1`, { headers: { 'x-forwarded-for': address, ...(auth ? { authorization: `Bearer ${auth}` } : {}) } });

const BURST = 25;

/** Sends the limit and 40 more requests, BURST at a time (a limit must hold against parallel requests too). */
async function burst(send: (i: number) => Promise<Response>): Promise<{ served: number; refused: Response[] }> {
	const answers: Response[] = [];
	for (let i = 0; i < API_REQUESTS_PER_MINUTE + 40; i += BURST) answers.push(...(await Promise.all(Array.from({ length: BURST }, (_, j) => send(i + j)))));
	for (const res of answers) expect([200, 429]).toContain(res.status);
	return { served: answers.filter((r) => r.status === 200).length, refused: answers.filter((r) => r.status === 429) };
}

describe('API rate limits', () => {
	it('refuse an address past its limit with 429, Retry-After and a problem; other addresses go on', async () => {
		const { served, refused } = await burst(() => read('198.51.100.7'));
		expect(served).toBe(API_REQUESTS_PER_MINUTE);
		expect(refused.length).toBeGreaterThanOrEqual(40);
		expect(refused[0].headers.get('content-type')).toMatch(/^application\/problem\+json/);
		expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await refused[0].json()).toMatchObject({ status: 429, type: '/api#problem-rate-limited' });
		expect((await read('198.51.100.8')).status).toBe(200);
	}, 120_000);

	it('refuse a token past its limit, whatever address its requests come from', async () => {
		const { served } = await burst((i) => read(`203.0.113.${i % 250}`, token));
		expect(served).toBe(API_REQUESTS_PER_MINUTE);
		// The same addresses without the token are still served.
		expect((await read('203.0.113.1')).status).toBe(200);
	}, 120_000);
});
