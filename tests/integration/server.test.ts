import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectSocket, connection, signIn, startTestApp, type TestApp } from './helpers/app.js';
import { closeCode as rawCloseCode, provider as yjsProvider, synced } from './helpers/yjs.js';

let app: TestApp;
let base: string;

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	// A document kind for this test only, through the same seam the drafts feature uses.
	app.ctx.services.documentAccess.register('test', async (auth, id) => {
		if (id === 'public') return 'read';
		if (!auth) return null;
		return auth.viewer.email === 'member1@demo.test' ? 'read' : 'write';
	});
});
afterAll(async () => app?.dispose());

const html = (path: string, headers: Record<string, string> = {}) =>
	fetch(base + path, { redirect: 'manual', headers: { accept: 'text/html', ...headers } });

describe('one http server', () => {
	it('answers health checks', async () => {
		const res = await fetch(`${base}/healthz`);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ status: 'ok', database: 'writable' });
	});

	it('answers only canonical record ids in page URLs (the id param matcher), with a 404 page for any other spelling', async () => {
		const member = await signIn(base, 'member1@demo.test');
		// Without the matcher, /forum/t/01 and /forum/t/1e0 served thread 1 (the same page under other URLs) and
		// /votes/1.0 vote 1. The records under their canonical ids are there:
		expect((await html('/forum/t/1')).status).toBe(200);
		expect((await html('/votes/1', { cookie: member })).status).toBe(200);
		for (const path of ['/forum/t/01', '/forum/t/1e0', '/forum/p/abc', '/votes/-1', '/votes/1.0', '/drafts/+1', '/meetings/0', '/members/99999999999999999']) {
			const res = await html(path, { cookie: member });
			expect(res.status, path).toBe(404);
			expect(await res.text(), path).toContain('<html lang="sq">');
		}
	});

	it('serves the landing page in Albanian by default and in the browser language otherwise', async () => {
		const sq = await (await html('/')).text();
		expect(sq).toContain('<html lang="sq">');
		expect(sq).toContain('Diskutojmë, hartojmë dhe vendosim së bashku');
		const el = await (await html('/', { 'accept-language': 'el-GR,el;q=0.9,en;q=0.5' })).text();
		expect(el).toContain('<html lang="el">');
		expect(el).toContain('Συζητάμε');
	});

	it('sets a strict Content-Security-Policy and security headers on pages', async () => {
		const res = await html('/');
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("default-src 'self'");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('sends visitors of the members area to sign in, and back afterwards', async () => {
		const res = await html('/members');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?redirectTo=%2Fmembers&why=members');
	});
});

describe('sign-in over HTTP', () => {
	it('redirects with 303 and sets an httpOnly SameSite session cookie', async () => {
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { accept: 'text/html', origin: base, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'member2@demo.test', password: 'demo-kuvend', redirectTo: '/members' })
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/members');
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kuvend_session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		// Member 2 chose Greek: the language cookie follows the member.
		expect(res.headers.getSetCookie().some((c) => c.startsWith('PARAGLIDE_LOCALE=el'))).toBe(true);
		const page = await (await html('/members', { cookie: cookie.split(';')[0] })).text();
		expect(page).toContain('<html lang="el">');
		expect(page).toContain('Elira Hoxha');
	});

	it('keeps the email typed and says clearly what went wrong', async () => {
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { accept: 'text/html', origin: base, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'member1@demo.test', password: 'wrong password' })
		});
		expect(res.status).toBe(400);
		const body = await res.text();
		expect(body).toContain('value="member1@demo.test"');
		expect(body).toContain('nuk përputhen me asnjë llogari');
		expect(body).not.toContain('wrong password');
	});

	it('refuses a cross-site form post', async () => {
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { accept: 'text/html', origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'member1@demo.test', password: 'demo-kuvend' })
		});
		expect(res.status).toBe(403);
	});

	it('stores the language a member picks', async () => {
		const cookie = await signIn(base, 'member3@demo.test');
		const res = await fetch(`${base}/language`, {
			method: 'POST',
			redirect: 'manual',
			headers: { accept: 'text/html', origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ locale: 'en', redirectTo: '/forum' })
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/forum');
		const user = await app.ctx.db.selectFrom('users').select('locale').where('email', '=', 'member3@demo.test').executeTakeFirstOrThrow();
		expect(user.locale).toBe('en');
		// Even a browser that still sends Albanian gets the member's own choice.
		const page = await (await html('/forum', { cookie: `${cookie}; PARAGLIDE_LOCALE=sq` })).text();
		expect(page).toContain('<html lang="en">');
	});
});

describe('Socket.IO', () => {
	it('connects with the session cookie', async () => {
		const cookie = await signIn(base, 'member4@demo.test');
		const socket = connectSocket(base, { cookie, origin: base });
		expect(await connection(socket)).toBe('connected');
		socket.close();
	});

	it('refuses a connection without a session', async () => {
		const socket = connectSocket(base, { origin: base });
		expect(await connection(socket)).toBe('unauthenticated');
		socket.close();
	});

	it('refuses a foreign Origin even with a valid cookie', async () => {
		const cookie = await signIn(base, 'member4@demo.test');
		const socket = connectSocket(base, { cookie, origin: 'https://evil.example' });
		expect(await connection(socket)).not.toBe('connected');
		socket.close();
	});

	// One context per process: the form action runs inside SvelteKit's bundle, the socket in the Node server.
	it('delivers an event emitted by a SvelteKit form action to a connected client', async () => {
		const tabA = await signIn(base, 'member5@demo.test');
		const tabB = await signIn(base, 'member5@demo.test');
		const socket = connectSocket(base, { cookie: tabB, origin: base });
		expect(await connection(socket)).toBe('connected');
		const heard = new Promise<{ locale: string }>((resolve) => socket.once('me:locale', resolve));
		const ended = new Promise<{ reason: string }>((resolve) => socket.once('auth:signed-out', resolve));
		const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

		const post = (path: string, body: Record<string, string>) =>
			fetch(base + path, {
				method: 'POST',
				redirect: 'manual',
				headers: { accept: 'text/html', origin: base, cookie: tabA, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(body)
			});
		expect((await post('/language', { locale: 'el', redirectTo: '/' })).status).toBe(303);
		expect(await heard).toEqual({ locale: 'el' });

		expect((await post('/settings/security?/signOutOthers', {})).status).toBe(200);
		expect(await ended).toEqual({ reason: 'signed_out_everywhere' });
		expect(await disconnected).toBe('io server disconnect');
	});
});

describe('the Yjs endpoint', () => {
	const provider = (doc: Y.Doc, name: string, cookie: string) => yjsProvider(base, doc, name, cookie);
	const closeCode = (path: string, headers: Record<string, string>) => rawCloseCode(base, path, headers);

	it('syncs writers and relays their edits; a reader sees them but cannot change the document', async () => {
		const [c2, c1] = [await signIn(base, 'member2@demo.test'), await signIn(base, 'member1@demo.test')];
		const a = new Y.Doc();
		const b = new Y.Doc();
		const reader = new Y.Doc();
		const pa = provider(a, 'test:doc1', c2);
		const pb = provider(b, 'test:doc1', c2);
		const pr = provider(reader, 'test:doc1', c1);
		await Promise.all([synced(pa), synced(pb), synced(pr)]);

		a.getText('t').insert(0, 'Ligji për kulturën');
		await expect.poll(() => b.getText('t').toString()).toBe('Ligji për kulturën');
		await expect.poll(() => reader.getText('t').toString()).toBe('Ligji për kulturën');

		reader.getText('t').insert(0, 'XXX ');
		b.getText('t').insert(b.getText('t').length, '.');
		await expect.poll(() => a.getText('t').toString()).toBe('Ligji për kulturën.');
		expect(a.getText('t').toString()).not.toContain('XXX');
		for (const p of [pa, pb, pr]) p.destroy();
	});

	it('refuses before syncing: no session, no access, unknown document, foreign origin', async () => {
		const member = await signIn(base, 'member2@demo.test');
		expect(await closeCode('/yjs/test:doc1', { origin: base })).toBe(4401);
		expect(await closeCode('/yjs/nothing:1', { cookie: member, origin: base })).toBe(4404);
		expect(await closeCode('/yjs/test:doc1', { cookie: member, origin: 'https://evil.example' })).toBe(403);
	});

	it('closes only the connection that sends a malformed message', async () => {
		const cookie = await signIn(base, 'member2@demo.test');
		const good = new Y.Doc();
		const pg = provider(good, 'test:doc2', cookie);
		await synced(pg);
		const bad = new WebSocket(`${base.replace('http', 'ws')}/yjs/test:doc2`, { headers: { cookie, origin: base } });
		await new Promise((r) => bad.once('open', r));
		const code = new Promise<number>((r) => bad.once('close', (c) => r(c)));
		bad.send(new Uint8Array([0, 2, 200, 1, 2])); // an update whose length runs past the message
		expect(await code).toBe(4400);
		good.getText('t').insert(0, 'still here');
		const other = new Y.Doc();
		const po = provider(other, 'test:doc2', cookie);
		await synced(po);
		await expect.poll(() => other.getText('t').toString()).toBe('still here');
		pg.destroy();
		po.destroy();
	});
});
