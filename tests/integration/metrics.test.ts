import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { castBySocket, makePeople, memberSocket, personByEmail, voteInput } from './helpers/votes.js';

// Issue #15 point 9: GET /metrics in Prometheus text format, from this machine or with METRICS_TOKEN.
const TOKEN = 'a-long-scrape-token-for-tests';
let app: TestApp;

beforeAll(async () => {
	// The test client plays the reverse proxy (it connects from loopback) when it sends X-Forwarded-For.
	app = await startTestApp({ METRICS_TOKEN: TOKEN, TRUST_PROXY: 'loopback' });
});
afterAll(async () => app?.dispose());

const scrape = (headers: Record<string, string> = {}) => fetch(`${app.url}/metrics`, { headers });

/** The value of one sample line, e.g. `kuvend_open_sockets` or `kuvend_outbox_mail{state="pending"}`. */
async function sample(name: string): Promise<number> {
	const res = await scrape();
	expect(res.status).toBe(200);
	const text = await res.text();
	const line = text.split('\n').find((l) => l.startsWith(`${name} `));
	if (!line) throw new Error(`no sample ${name}`);
	return Number(line.slice(name.length + 1));
}

describe('GET /metrics', () => {
	it('answers a scraper on this machine without a token, in Prometheus text format', async () => {
		const res = await scrape();
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/plain');
		const text = await res.text();
		for (const name of [
			'kuvend_http_request_duration_seconds',
			'kuvend_open_sockets',
			'kuvend_yjs_connections',
			'kuvend_yjs_documents_loaded',
			'kuvend_ballots_cast_total',
			'kuvend_outbox_mail',
			'kuvend_database_bytes',
			'nodejs_eventloop_lag_seconds'
		])
			expect(text).toContain(`# TYPE ${name} `);
		expect(await sample('kuvend_database_bytes{part="file"}')).toBeGreaterThan(0);
	});

	it('answers another machine only with the token', async () => {
		// A client behind the proxy (X-Forwarded-For, trusted from loopback) is not on this machine.
		const remote = { 'x-forwarded-for': '203.0.113.9' };
		expect((await scrape(remote)).status).toBe(401);
		expect((await scrape({ ...remote, authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(401);
		expect((await scrape({ ...remote, authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
		expect((await scrape({ ...remote, authorization: TOKEN })).status).toBe(401);
		expect((await scrape({ ...remote, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
		// A wrong token is refused from loopback too: a token sent is checked, never ignored.
		expect((await scrape({ authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(401);
	});

	it('labels request durations by route pattern, never by URL', async () => {
		await fetch(`${app.url}/forum/t/1`);
		await fetch(`${app.url}/forum/t/2`);
		await fetch(`${app.url}/healthz`);
		const text = await (await scrape()).text();
		expect(text).toMatch(/kuvend_http_request_duration_seconds_count\{route="\/forum\/t\/\[id=id\]",method="GET",status="\dxx"\} [1-9]/);
		expect(text).toContain('route="/healthz"');
		expect(text).not.toContain('route="/forum/t/1"');
		// The route header is for the label only: it does not leave the server.
		expect((await fetch(`${app.url}/forum/t/1`)).headers.get('x-kuvend-route')).toBeNull();
	});

	it('moves with the server: a socket connected shows, a ballot cast counts', async () => {
		const [voter] = await makePeople(app, 1);
		const before = await sample('kuvend_open_sockets');
		const socket = await memberSocket(app.url, voter.cookie);
		try {
			expect(await sample('kuvend_open_sockets')).toBe(before + 1);
			const coordinator = await personByEmail(app, 'coordinator@demo.test');
			const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Counted' }), {}, true);
			const cast = await sample('kuvend_ballots_cast_total');
			expect(await castBySocket(socket, { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: true });
			expect(await sample('kuvend_ballots_cast_total')).toBe(cast + 1);
		} finally {
			socket.disconnect();
		}
	});
});
