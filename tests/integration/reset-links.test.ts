import { describe, expect, it } from 'vitest';
import { getPage, postForm, signIn, startTestApp } from './helpers/app.js';
import type { AddressInfo } from 'node:net';
import { createSmtpServer, serveWithSmtp, type ReceivedMail } from './helpers/smtp.js';

// Issue #14 point 4: one-time links stay secret, also from coordinators, and only the newest one works.
const served = serveWithSmtp();

const LINK = /(http:\/\/\S+\/forgot\/([A-Za-z0-9_-]+))/;

/** Asks for a reset at /forgot and returns the link that arrives by mail: its path and its token. */
async function resetLink(email: string): Promise<{ path: string; token: string }> {
	const before = served.smtp.mail.filter((m) => m.to.some((t) => t.includes(email))).length;
	expect((await postForm(served.app.url, '/forgot', { email })).status).toBe(200);
	const mail = await served.smtp.waitFor(email, before + 1);
	const [, link, token] = LINK.exec(mail[before].text)!;
	return { path: new URL(link).pathname, token };
}

const works = async (path: string) => !(await (await getPage(served.app.url, path)).text()).includes('Kjo lidhje ka skaduar');

describe('older reset links are voided', () => {
	// Each fails without its voidResets() call (account.service.ts #sendReset via issuePasswordLink, #setPassword;
	// auth.service.ts signOutEverywhere): the older link still shows the form.
	it('by a newer link', async () => {
		const first = await resetLink('member1@demo.test');
		const second = await resetLink('member1@demo.test');
		expect(await works(first.path)).toBe(false);
		expect((await postForm(served.app.url, first.path, { next: 'a-new-long-password', confirm: 'a-new-long-password' })).status).toBe(404);
		expect(await works(second.path)).toBe(true);
	});

	it('by a password change', async () => {
		const link = await resetLink('member2@demo.test');
		const me = await signIn(served.app.url, 'member2@demo.test');
		const changed = await postForm(served.app.url, '/settings/security?/password', { current: 'demo-kuvend', next: 'brand-new-password', confirm: 'brand-new-password' }, me);
		expect(changed.status).toBe(200);
		expect(await works(link.path)).toBe(false);
	});

	it('by a sign-out everywhere', async () => {
		const link = await resetLink('member3@demo.test');
		const me = await signIn(served.app.url, 'member3@demo.test');
		expect((await postForm(served.app.url, '/settings/security?/signOutEverywhere', {}, me)).status).toBe(303);
		expect(await works(link.path)).toBe(false);
	});
});

describe("the coordinators' outbox", () => {
	it('hides the token of every one-time link, while the member gets the real link', async () => {
		// Without hideOneTimeLinks() in CoordinationService.outbox, the page shows the live token (and a coordinator
		// could set the member's password with it).
		const { token, path } = await resetLink('member4@demo.test');
		const outbox = await (await getPage(served.app.url, '/coordination/outbox', await signIn(served.app.url, 'coordinator@demo.test'))).text();
		expect(outbox).toContain('member4@demo.test');
		expect(outbox).toContain('/forgot/••••••••');
		expect(outbox).not.toContain(token);
		expect(await works(path)).toBe(true);
		const stored = await served.app.ctx.db.selectFrom('outbox').select('body').where('to_address', '=', 'member4@demo.test').execute();
		expect(stored.some((m) => m.body.includes(token))).toBe(true);
	});
});

describe('mail that waited', () => {
	it('drops a reset mail whose link was voided while the SMTP server was down, and delivers the newer one when it is back', async () => {
		// Without the linksStillValid() check in the Mailer, both reset mails arrive and the first carries a dead link.
		const probe = createSmtpServer(() => {});
		const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.server.address() as AddressInfo).port)));
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		const down = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
		const received: ReceivedMail[] = [];
		const back = createSmtpServer((m) => received.push(m));
		try {
			for (let i = 0; i < 2; i++) {
				expect((await postForm(down.url, '/forgot', { email: 'member5@demo.test' })).status).toBe(200);
				await down.ctx.services.account.settleResets();
				await down.ctx.mailer.flush();
			}
			const waiting = () => down.ctx.db.selectFrom('outbox').select(['id', 'last_error']).where('to_address', '=', 'member5@demo.test').where('sent_at', 'is', null).execute();
			// The first link was voided by the second: its mail left the outbox at the next try, undelivered.
			expect((await waiting()).length).toBe(1);
			await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', () => resolve()));
			// drained(), not flush(): a flush called while a run is going on (one a write started, tried while the
			// server was down) answers with that run; on PostgreSQL's slower writes that run was still going.
			await down.ctx.mailer.drained();
			expect(await waiting()).toEqual([]);
			const resets = received.filter((m) => LINK.test(m.text));
			expect(resets.length).toBe(1);
			expect(await (await getPage(down.url, new URL(LINK.exec(resets[0].text)![1]).pathname)).text()).not.toContain('Kjo lidhje ka skaduar');
		} finally {
			await down.dispose();
			await new Promise<void>((resolve) => back.close(() => resolve()));
		}
	});
});
