import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, postForm, signIn, startTestApp, type TestApp } from './helpers/app.js';

let app: TestApp;
let base: string;

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
});
afterAll(async () => app?.dispose());

const post = (path: string, contentType: string, body: string | Uint8Array<ArrayBuffer>) =>
	fetch(base + path, { method: 'POST', redirect: 'manual', headers: { origin: base, accept: 'text/html', 'content-type': contentType }, body });

describe('response headers', () => {
	// Before: no Permissions-Policy anywhere, and Socket.IO's answers (handshake, polling, its errors) had none of
	// the security headers, since Socket.IO takes its path before Express.
	it('sends the security headers and a Permissions-Policy on pages, /healthz and Socket.IO alike', async () => {
		const answers = [
			await getPage(base, '/'),
			await fetch(`${base}/healthz`),
			await fetch(`${base}/socket.io/?EIO=4&transport=polling`),
			await fetch(`${base}/socket.io/?EIO=4&transport=carrier-pigeon`)
		];
		expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 400]);
		for (const res of answers) {
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('permissions-policy')).toContain('camera=()');
			// Served over http here: HSTS would be ignored, or pin a developer's host.
			expect(res.headers.get('strict-transport-security')).toBeNull();
		}
	});

	// Before: signed-in pages carried no Cache-Control, so a shared cache or the browser's back button could keep them.
	it('keeps signed-in pages out of every cache', async () => {
		const cookie = await signIn(base, 'member1@demo.test');
		for (const path of ['/forum', '/settings', '/drafts']) {
			const res = await getPage(base, path, cookie);
			expect(res.status).toBe(200);
			expect(res.headers.get('cache-control')).toBe('private, no-store');
		}
	});
});

describe('malformed requests', () => {
	// Before: a multipart body without its closing boundary and a text/plain post were 500s ("Failed to parse body
	// as FormData", "Content-Type was not one of ...").
	it('answers a body that cannot be read with 400 (or 415 for a type nothing here reads), never a 500', async () => {
		const cut = await post('/login', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc');
		expect(cut.status).toBe(400);
		expect(await cut.text()).toBe('Nuk mundëm ta lexonim atë që u dërgua. Ringarkoni faqen dhe provoni përsëri.');
		expect((await post('/login', 'multipart/form-data', 'email=a')).status).toBe(400);
		expect((await post('/login', 'application/json', '{"email": ')).status).toBe(400);
		expect((await post('/login', 'text/plain', 'email=a')).status).toBe(415);
		const badEncoding = await post('/login', 'application/x-www-form-urlencoded', new Uint8Array([...Buffer.from('email=%E0%A4%A&password='), 0xff, 0xfe]));
		expect(badEncoding.status).toBeLessThan(500);
		// A well-formed form still reaches the action.
		expect((await postForm(base, '/login', { email: 'member1@demo.test', password: 'wrong' })).status).toBe(400);
	});

	// Before: "/%0d%0a..." decoded to a line break in the Location header, which Node refused: a 500.
	it('sends a signed-in member with a hostile redirectTo home, never off-site or to a 500', async () => {
		const cookie = await signIn(base, 'member2@demo.test');
		for (const target of ['/%0d%0aSet-Cookie:%20a=b', '/%09/evil.example', '//evil.example', '/%5Cevil.example', '%2F%2Fevil.example', 'javascript:alert(1)']) {
			const res = await getPage(base, `/login?redirectTo=${target}`, cookie);
			expect(res.status).toBe(303);
			expect(res.headers.get('location')).toBe('/forum');
		}
		const res = await getPage(base, `/login?redirectTo=${encodeURIComponent('/drafts?v=π')}`, cookie);
		expect(res.headers.get('location')).toBe('/drafts?v=%CF%80');
	});
});

// Last: one process has one app context, and this second app takes it over.
describe('behind https', () => {
	// Before: no Strict-Transport-Security whatever ORIGIN said.
	it('asks browsers to keep to https when ORIGIN is https', async () => {
		const secure = await startTestApp({ ORIGIN: 'https://kuvend.example' });
		try {
			for (const path of ['/', '/healthz', '/socket.io/?EIO=4&transport=polling']) {
				expect((await fetch(secure.url + path)).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
			}
		} finally {
			await secure.dispose();
		}
	});
});
