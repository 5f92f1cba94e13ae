import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DESKTOP, PHONE, expect, expectAccessible, screenshot, signIn, test } from './helpers.js';

// Issue #20 point 3: a coordinator registers a webhook endpoint (a real receiver on loopback: the browser tests' server
// runs with WEBHOOKS_ALLOW_PRIVATE=1), copies the secret shown once, and sends the test event, signed with it.
test('a coordinator registers an endpoint and sends a test event that arrives signed', async ({ page }) => {
	const got: { signature: string; body: string }[] = [];
	const receiver = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString('utf8')));
		req.on('end', () => {
			got.push({ signature: String(req.headers['kuvend-signature']), body });
			res.writeHead(204).end();
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kuvend`;
	try {
		await page.setViewportSize(DESKTOP);
		await signIn(page, 'coordinator@demo.test');
		await page.goto('/coordination');
		await page.getByRole('link', { name: 'Webhooks' }).click();
		await expect(page).toHaveURL(/\/coordination\/webhooks$/);
		await expect(page.getByText('Ende nuk ka pika fundore.')).toBeVisible();
		await expectAccessible(page);

		await page.getByLabel('Adresa (URL) e pikës fundore').fill(url);
		await page.getByRole('button', { name: 'Regjistroni pikën fundore' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Pika fundore u regjistrua' })).toBeVisible();
		const secret = (await page.getByTestId('hook-secret').textContent())!.trim();
		expect(secret).toMatch(/^whsec_/);
		await expect(page.locator('article').getByText(url)).toBeVisible();

		await page.getByRole('button', { name: 'Dërgoni një ngjarje prove' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Ngjarja e provës u vu në radhë' })).toBeVisible();
		await expect.poll(() => got.length).toBe(1);
		const [{ signature, body }] = got;
		const { t, v1 } = Object.fromEntries(signature.split(',').map((p) => p.split('='))) as { t: string; v1: string };
		expect(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')).toBe(v1);
		expect(JSON.parse(body).type).toBe('ping');
		// The secret is shown only once: reading the page again shows the endpoint and its log, not the secret.
		await page.goto('/coordination/webhooks');
		await expect(page.getByTestId('hook-secret')).toHaveCount(0);
		await page.getByText('Dërgesat e fundit').click();
		await expect(page.getByRole('cell', { name: 'HTTP 204' })).toBeVisible();
		await screenshot(page, 'webhooks-desktop');
		await page.setViewportSize(PHONE);
		await screenshot(page, 'webhooks-phone');
		// Shared demo state goes back as it was.
		await page.getByRole('button', { name: 'Hiqeni' }).click();
		await expect(page.getByText('Ende nuk ka pika fundore.')).toBeVisible();
	} finally {
		receiver.closeAllConnections();
		await new Promise((r) => receiver.close(r));
	}
});
