import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_REQUESTS_PER_MINUTE } from '../../src/lib/shared/api/limits.js';
import { signInAs, startTestApp, type TestApp } from './helpers/app.js';

/**
 * The read API's rate limits with the standard rules: per address, and per token wherever its requests come from
 * (addresses given by a trusted proxy's X-Forwarded-For). Without the `take` calls in admit() (router.ts) neither
 * test gets its 429.
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

async function untilRefused(send: (i: number) => Promise<Response>): Promise<{ served: number; refused: Response }> {
	for (let i = 0; i < API_REQUESTS_PER_MINUTE + 5; i++) {
		const res = await send(i);
		if (res.status === 429) return { served: i, refused: res };
		expect(res.status).toBe(200);
		await res.arrayBuffer();
	}
	throw new Error('never refused');
}

describe('API rate limits', () => {
	it('refuse an address past its limit with 429, Retry-After and a problem; other addresses go on', async () => {
		const { served, refused } = await untilRefused(() => read('198.51.100.7'));
		expect(served).toBe(API_REQUESTS_PER_MINUTE);
		expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await refused.json()).toMatchObject({ status: 429, type: '/api#problem-rate-limited' });
		expect((await read('198.51.100.8')).status).toBe(200);
	});

	it('refuse a token past its limit, whatever address its requests come from', async () => {
		const { served } = await untilRefused((i) => read(`203.0.113.${i % 250}`, token));
		expect(served).toBe(API_REQUESTS_PER_MINUTE);
		// The same addresses without the token are still served.
		expect((await read('203.0.113.1')).status).toBe(200);
	});
});
