import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './helpers/app.js';
import { postFormFrom } from './helpers/address.js';
import { DEMO_PASSWORD } from '../../server/db/seed/demo.js';

// Issue #15 point 8: client addresses come from X-Forwarded-For only when TRUST_PROXY says which proxies may state
// them (server/http/client-address.ts); every rate limit keyed by address sees that one address.
const REALTIME_LIMIT = 300;

const signIn = (app: TestApp, email: string, password: string, forwardedFor?: string) =>
	postFormFrom(app.url, '/login', { email, password }, '127.0.0.1', forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

/** One Socket.IO handshake (engine.io polling open), as a browser tab behind the proxy would make it. */
async function handshake(app: TestApp, forwardedFor: string): Promise<number> {
	const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { 'x-forwarded-for': forwardedFor } });
	await res.arrayBuffer();
	return res.status;
}

/** The HTTP status a Yjs upgrade is answered with: 101 when it was taken over, else the refusal. */
function yjsUpgrade(app: TestApp, forwardedFor: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${app.url.replace('http', 'ws')}/yjs/draft:1`, { headers: { 'x-forwarded-for': forwardedFor } });
		ws.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.once('upgrade', () => {
			resolve(101);
			ws.terminate();
		});
		ws.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
	});
}

describe('without TRUST_PROXY', () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp({ RATE_LIMITS: 'standard' });
	});
	afterAll(async () => app?.dispose());

	it('ignores a forged X-Forwarded-For: it cannot dodge the sign-in throttle', async () => {
		// Shown to fail without the guard: with clientAddressResolver trusting every hop ('trust proxy' = true), each
		// forged address was a new (account, address) pair, and the right password at the end was answered 303.
		for (let i = 0; i < 6; i++) expect((await signIn(app, 'member1@demo.test', `guess-${i}`, `198.51.100.${i}`)).status).toBe(400);
		expect((await signIn(app, 'member1@demo.test', DEMO_PASSWORD, '198.51.100.99')).status).toBe(429);
	});

	it('counts realtime connections against the connection address, whatever X-Forwarded-For says', async () => {
		// Shown to fail the same way: trusting every hop, the forged addresses each got their own allowance.
		const statuses: number[] = [];
		for (let i = 0; i < REALTIME_LIMIT; i++) statuses.push(await handshake(app, `198.51.${i >> 8}.${i & 255}`));
		expect(statuses.every((s) => s === 200)).toBe(true);
		expect(await handshake(app, '203.0.113.250')).toBe(403);
		expect(await yjsUpgrade(app, '203.0.113.251')).toBe(429);
	});
});

describe('with TRUST_PROXY naming the proxy', () => {
	let app: TestApp;
	beforeAll(async () => {
		// The test client connects from 127.0.0.1 and plays the reverse proxy.
		app = await startTestApp({ RATE_LIMITS: 'standard', TRUST_PROXY: 'loopback' });
	});
	afterAll(async () => app?.dispose());

	it('limits two clients behind the proxy separately on HTTP forms', async () => {
		const stranger = '203.0.113.7';
		const member = '203.0.113.8';
		for (let i = 0; i < 6; i++) expect((await signIn(app, 'member2@demo.test', `guess-${i}`, stranger)).status).toBe(400);
		expect((await signIn(app, 'member2@demo.test', DEMO_PASSWORD, stranger)).status).toBe(429);
		expect((await signIn(app, 'member2@demo.test', DEMO_PASSWORD, member)).status).toBe(303);
		// Entries a client writes before the proxy's own are not believed: only the one the trusted proxy appended.
		expect((await signIn(app, 'member2@demo.test', DEMO_PASSWORD, `${member}, ${stranger}`)).status).toBe(429);
	});

	it('limits two clients behind the proxy separately on sockets and documents', async () => {
		const busy = '203.0.113.20';
		const other = '203.0.113.21';
		for (let i = 0; i < REALTIME_LIMIT; i++) expect(await handshake(app, busy)).toBe(200);
		expect(await handshake(app, busy)).toBe(403);
		expect(await yjsUpgrade(app, busy)).toBe(429);
		expect(await handshake(app, other)).toBe(200);
		// Taken over (then closed for want of a session): not refused by the limit.
		expect(await yjsUpgrade(app, other)).toBe(101);
	});
});
