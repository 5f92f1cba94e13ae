import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, signIn, startTestApp, type TestApp } from './helpers/app.js';
import { onPostgres } from './helpers/postgres.js';
import { createSmtpServer, type ReceivedMail } from './helpers/smtp.js';
import { personByEmail, type Person } from './helpers/votes.js';
import { backupToFile } from '../../server/db/backup.js';
import { isDomainError } from '../../src/lib/shared/errors.js';

// Issue #15 points 8 and 9: the coordinators' instance panel and its "send a test mail" button.
const VERSION = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;

const codeOf = (work: Promise<unknown>) =>
	work.then(
		() => 'ok',
		(e: unknown) => (isDomainError(e) ? e.code : String(e))
	);

describe('with a real SMTP server', () => {
	let app: TestApp;
	let smtp: SMTPServer;
	const received: ReceivedMail[] = [];
	// The SMTP server refuses recipients while this is set, as a full mailbox or a wrong relay set-up would.
	let refuse: string | null = null;
	let coordinator: Person;

	beforeAll(async () => {
		smtp = createSmtpServer(
			(mail) => received.push(mail),
			() => refuse
		);
		await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
		app = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}` });
		coordinator = await personByEmail(app, 'coordinator@demo.test');
	});
	afterAll(async () => {
		await app?.dispose();
		await new Promise<void>((resolve) => smtp.close(() => resolve()));
	});

	it("sends the test mail to the coordinator's own address through the outbox and says so", async () => {
		const result = await app.ctx.services.instance.sendTestMail(coordinator.auth);
		expect(result).toEqual({ outcome: 'sent', to: 'coordinator@demo.test' });
		const mail = received.find((r) => r.to.some((t) => t.includes('coordinator@demo.test')));
		expect(mail?.subject).toBe('Email prove nga Kuvend');
		expect(mail?.text).toContain(app.url);
		const sent = await app.ctx.db.selectFrom('outbox').select(['sent_at']).where('subject', '=', 'Email prove nga Kuvend').execute();
		expect(sent).toHaveLength(1);
		expect(sent[0].sent_at).not.toBeNull();
	});

	it("answers with the SMTP server's reason when delivery fails, and leaves no test mail to be retried", async () => {
		refuse = 'Mailbox unavailable for this test';
		try {
			const result = await app.ctx.services.instance.sendTestMail(coordinator.auth);
			expect(result.outcome).toBe('failed');
			expect(result.outcome === 'failed' && result.reason?.kind === 'answered' && result.reason.detail).toContain('Mailbox unavailable for this test');
			const waiting = await app.ctx.db.selectFrom('outbox').select('id').where('subject', '=', 'Email prove nga Kuvend').where('sent_at', 'is', null).execute();
			expect(waiting).toEqual([]);
		} finally {
			refuse = null;
		}
	});

	it('shows the button and its result on the page, in the coordinator’s language', async () => {
		const cookie = await signIn(app.url, 'coordinator@demo.test');
		const res = await fetch(`${app.url}/coordination/instance?/testMail`, {
			method: 'POST',
			redirect: 'manual',
			headers: { accept: 'text/html', origin: app.url, 'content-type': 'application/x-www-form-urlencoded', cookie },
			body: ''
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('U dërgua: serveri SMTP e pranoi emailin e provës për coordinator@demo.test.');
	});
});

describe('the panel', () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp();
	});
	afterAll(async () => app?.dispose());

	it('is for coordinators only', async () => {
		// Without the coordinator check in InstanceService, the member's calls answer 'ok'.
		const member = await personByEmail(app, 'member1@demo.test');
		const moderator = await personByEmail(app, 'moderator@demo.test');
		const { instance } = app.ctx.services;
		for (const who of [member, moderator]) {
			expect(await codeOf(instance.overview(who.auth))).toBe('forbidden');
			expect(await codeOf(instance.sendTestMail(who.auth))).toBe('forbidden');
		}
		expect(await codeOf(instance.overview(null))).toBe('unauthenticated');
		expect(await codeOf(instance.sendTestMail(null))).toBe('unauthenticated');
		const memberCookie = await signIn(app.url, 'member1@demo.test');
		expect((await getPage(app.url, '/coordination/instance', memberCookie)).status).toBe(403);
	});

	it('shows version, uptime, database size, the last backup and the outbox', async () => {
		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		const before = await app.ctx.services.instance.overview(coordinator.auth);
		expect(before.version).toBe(VERSION);
		expect(before.uptimeMs).toBeGreaterThanOrEqual(0);
		expect(before.database.file).toBeGreaterThan(0);
		expect(before.backups.last).toBeNull();
		// No SMTP here: the seed's mail waits in the outbox, each marked with why.
		expect(before.mail.configured).toBe(false);
		const unsent = await app.ctx.db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute();
		expect(before.mail.pending + before.mail.failed).toBe(unsent.length);

		// Kuvend's own backups are of the SQLite file; on PostgreSQL they are pg_dump's and the panel lists none.
		const file = onPostgres ? null : (await backupToFile(app.config.databaseFile, app.config.backupDir, undefined)).file;
		const after = await app.ctx.services.instance.overview(coordinator.auth);
		if (file) expect(after.backups.last).toMatchObject({ file: file.split('/').at(-1), kind: 'manual' });
		else expect(after.backups.last).toBeNull();

		const page = await getPage(app.url, '/coordination/instance', await signIn(app.url, 'coordinator@demo.test'));
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain(VERSION);
		if (file) expect(html).toContain(file.split('/').at(-1));
	});

	it('says plainly that no SMTP server is set, and queues nothing', async () => {
		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		const before = await app.ctx.db.selectFrom('outbox').select('id').execute();
		expect(await app.ctx.services.instance.sendTestMail(coordinator.auth)).toEqual({ outcome: 'not_configured' });
		expect(await app.ctx.db.selectFrom('outbox').select('id').execute()).toHaveLength(before.length);
	});
});
