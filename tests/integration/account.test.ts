import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, connection, getPage, postForm, signIn, startTestApp, type TestApp } from './helpers/app.js';
import { startSmtp } from './helpers/smtp.js';

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let base: string;

beforeAll(async () => {
	smtp = await startSmtp();
	app = await startTestApp({ SMTP_URL: smtp.url });
	base = app.url;
});
afterAll(async () => {
	await app?.dispose();
	await smtp?.close();
});

const userId = async (email: string) => (await app.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

describe('forgot password', () => {
	it('answers the same for known and unknown emails, and mails a link only to an account', async () => {
		const known = await (await postForm(base, '/forgot', { email: 'member1@demo.test' })).text();
		const unknown = await (await postForm(base, '/forgot', { email: 'nobody@demo.test' })).text();
		const strip = (html: string) => html.replace(/member1@demo\.test|nobody@demo\.test/g, 'EMAIL').replace(/nonce="[^"]+"|'nonce-[^']+'/g, 'NONCE');
		expect(strip(known)).toBe(strip(unknown));
		const [mail] = await smtp.waitFor('member1@demo.test');
		expect(mail.subject).toBe('Zgjidhni një fjalëkalim të ri');
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.mail.some((m) => m.to.some((t) => t.includes('nobody@demo.test')))).toBe(false);
	});

	it('sets a new password once with the link, ending every session', async () => {
		const before = await signIn(base, 'member1@demo.test');
		const [mail] = await smtp.waitFor('member1@demo.test');
		const link = /(http:\/\/\S+\/forgot\/[A-Za-z0-9_-]+)/.exec(mail.text)![1];
		const path = new URL(link).pathname;
		const weak = await postForm(base, path, { next: 'short', confirm: 'short' });
		expect(weak.status).toBe(400);
		expect(await weak.text()).toContain('Përdorni të paktën 10 shenja.');
		const ok = await postForm(base, path, { next: 'a-new-long-password', confirm: 'a-new-long-password' });
		expect(ok.status).toBe(303);
		expect(ok.headers.get('location')).toBe('/login?reset=1');
		expect((await getPage(base, '/members', before)).status).toBe(303);
		expect(await signIn(base, 'member1@demo.test', 'a-new-long-password')).toBeTruthy();
		const again = await postForm(base, path, { next: 'another-long-password', confirm: 'another-long-password' });
		expect(await again.text()).toContain('Kjo lidhje ka skaduar ose është përdorur tashmë.');
	});

	it('refuses a link older than one hour', async () => {
		await postForm(base, '/forgot', { email: 'member2@demo.test' });
		const [mail] = await smtp.waitFor('member2@demo.test');
		const path = new URL(/(http:\/\/\S+\/forgot\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]).pathname;
		await app.ctx.db.updateTable('password_resets').set({ expires_at: Date.now() - 1 }).execute();
		expect(await (await getPage(base, path)).text()).toContain('Kjo lidhje ka skaduar');
		expect((await postForm(base, path, { next: 'a-new-long-password', confirm: 'a-new-long-password' })).status).toBe(404);
	});
});

describe('settings', () => {
	it('changes the password after checking the current one, and ends the other sessions', async () => {
		const here = await signIn(base, 'member3@demo.test');
		const elsewhere = await signIn(base, 'member3@demo.test');
		const wrong = await postForm(base, '/settings/security?/password', { current: 'nope', next: 'brand-new-password', confirm: 'brand-new-password' }, here);
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain('Ky nuk është fjalëkalimi juaj aktual.');
		const ok = await postForm(base, '/settings/security?/password', { current: 'demo-kuvend', next: 'brand-new-password', confirm: 'brand-new-password' }, here);
		expect(ok.status).toBe(200);
		expect((await getPage(base, '/settings', here)).status).toBe(200);
		expect((await getPage(base, '/settings', elsewhere)).status).toBe(303);
		const [mail] = await smtp.waitFor('member3@demo.test');
		expect(mail.subject).toBe('Fjalëkalimi juaj u ndryshua');
		// The same path as a reset link: the change is in the audit trail.
		const id = (await app.ctx.db.selectFrom('users').select('id').where('email', '=', 'member3@demo.test').executeTakeFirstOrThrow()).id;
		const trail = await app.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', String(id)).execute();
		expect(trail.map((t) => t.action)).toContain('account.password_changed');
	});

	it('stores notification preferences', async () => {
		const me = await signIn(base, 'member4@demo.test');
		expect((await postForm(base, '/settings/notifications', { email: 'weekly' }, me)).status).toBe(400);
		expect((await postForm(base, '/settings/notifications', { email: 'now', inApp: 'on' }, me)).status).toBe(200);
		const row = await app.ctx.db.selectFrom('users').select(['notify_email', 'notify_in_app']).where('email', '=', 'member4@demo.test').executeTakeFirstOrThrow();
		expect(row).toEqual({ notify_email: 'now', notify_in_app: 1 });
	});

	it('exports everything that references the member, without the password hash', async () => {
		const me = await signIn(base, 'moderator@demo.test');
		const res = await getPage(base, '/settings/data/export', me);
		expect(res.headers.get('content-disposition')).toContain('attachment');
		const data = await res.json();
		expect(data.account.email).toBe('moderator@demo.test');
		expect(JSON.stringify(data)).not.toContain('argon2');
		expect(data.organisations.map((o: { name: string }) => o.name)).toEqual(['Μουσικό Εργαστήρι Κέρκυρας']);
		expect(data.groups.map((g: { slug: string }) => g.slug).sort()).toEqual(['klasteri-korfuz', 'meta-klasteri']);
		expect(data.sessions.length).toBeGreaterThan(0);
		expect(data.fieldsOfAction).toEqual(['music', 'media']);
	});

	it('deletes an account: personal data erased, sessions ended, shown as a former member', async () => {
		const me = await signIn(base, 'katerina.nikolaou@demo.test');
		const id = await userId('katerina.nikolaou@demo.test');
		expect((await postForm(base, '/settings/data?/delete', { password: 'wrong' }, me)).status).toBe(400);
		const res = await postForm(base, '/settings/data?/delete', { password: 'demo-kuvend' }, me);
		expect(res.status).toBe(303);
		const row = await app.ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'deleted', display_name: '', password_hash: null, city: null });
		expect(row.email).not.toContain('katerina');
		expect((await getPage(base, '/settings', me)).status).toBe(303);
		const other = await signIn(base, 'member2@demo.test');
		expect((await getPage(base, `/members/${id}`, other)).status).toBe(404);
		const audit = await (await getPage(base, '/coordination/audit', await signIn(base, 'coordinator@demo.test'))).text();
		expect(audit).toContain('Ish-anëtar');
	});
});

describe('roles and suspension take effect at once', () => {
	// Shown to fail without the guard: with the 'user.access_changed' subscription removed from
	// server/realtime/access-recheck.ts, the socket never hears 'access:changed' and the test times out; with the
	// session not read again there, the watch below is refused as for a plain member.
	it('tells a member whose role changes at once, and their open socket acts with the new role', async () => {
		const coordinator = await signIn(base, 'coordinator@demo.test');
		const member = await signIn(base, 'ermal.leka@demo.test');
		const socket = connectSocket(base, { cookie: member, origin: base });
		expect(await connection(socket)).toBe('connected');
		// A thread of a group space Ermal is not in: moderators read it, members outside the group do not.
		const author = (await app.ctx.services.auth.authenticate(decodeURIComponent(coordinator.split('=')[1])))!;
		const threadId = await app.ctx.services.forumWriting.createThread(author, { category: 'group-meta-klasteri', title: 'Vetëm për grupin', body: 'Brenda.', tags: '' });
		const watch = () => new Promise((resolve) => socket.emit('thread:watch', { threadId }, resolve));
		expect(await watch()).toMatchObject({ ok: false, code: 'not_found' });
		const told = new Promise<void>((resolve) => socket.once('access:changed', () => resolve()));
		const id = await userId('ermal.leka@demo.test');
		expect((await postForm(base, `/members/${id}?/role`, { role: 'moderator' }, coordinator)).status).toBe(200);
		await told;
		expect(socket.connected).toBe(true);
		expect(await watch()).toMatchObject({ ok: true });
		const auth = await app.ctx.services.auth.authenticate(decodeURIComponent(member.split('=')[1]));
		expect(auth?.viewer.role).toBe('moderator');
		socket.close();
	});

	it('disconnects and signs out a suspended member, who can no longer sign in', async () => {
		const coordinator = await signIn(base, 'coordinator@demo.test');
		const member = await signIn(base, 'dritan.kola@demo.test');
		const socket = connectSocket(base, { cookie: member, origin: base });
		expect(await connection(socket)).toBe('connected');
		const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
		const id = await userId('dritan.kola@demo.test');
		expect((await postForm(base, `/members/${id}?/suspend`, { reason: '' }, coordinator)).status).toBe(400);
		expect((await postForm(base, `/members/${id}?/suspend`, { reason: 'Spam në forum' }, coordinator)).status).toBe(200);
		await dropped;
		expect((await getPage(base, '/members', member)).status).toBe(303);
		await expect(signIn(base, 'dritan.kola@demo.test')).rejects.toThrow();
		const again = connectSocket(base, { cookie: member, origin: base });
		expect(await connection(again)).toBe('unauthenticated');
		again.close();
		expect((await postForm(base, `/members/${id}?/reinstate`, {}, coordinator)).status).toBe(200);
		expect(await signIn(base, 'dritan.kola@demo.test')).toBeTruthy();
		const trail = await app.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', String(id)).execute();
		expect(trail.map((t) => t.action)).toEqual(['account.suspended', 'account.reinstated']);
	});

	it('does not let a coordinator demote or suspend themselves', async () => {
		const coordinator = await signIn(base, 'coordinator@demo.test');
		const id = await userId('coordinator@demo.test');
		expect((await postForm(base, `/members/${id}?/role`, { role: 'member' }, coordinator)).status).toBe(403);
		expect((await postForm(base, `/members/${id}?/suspend`, { reason: 'x' }, coordinator)).status).toBe(403);
	});
});
