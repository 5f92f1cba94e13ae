import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, screenshot, expect, test, SEEDED_LANGUAGE, signInReading } from './helpers.js';

// Issue #20, points 5 and 6: the embeds framed by another site, and a member's calendar link in the settings.

/** A page of another site (another loopback origin) that frames `src`. */
async function hostPage(frames: string[]): Promise<{ url: string; close: () => Promise<void> }> {
	const server = http.createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A member's site</title></head><body style="font-family:serif;margin:24px;background:#f4f1ea">
<h1>Teatri i Vlorës</h1><p>News from the network:</p>
${frames.map((src, i) => `<iframe id="f${i}" src="${src}" title="frame ${i}" width="100%" height="380" style="border:1px solid #ccc;background:#fff"></iframe>`).join('\n')}
</body></html>`);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

test('another site frames the decisions and meetings embeds; an ordinary page refuses to be framed', async ({ page, baseURL, consoleGuard }) => {
	const host = await hostPage([`${baseURL}/embed/decisions?lang=en`, `${baseURL}/embed/meetings?lang=en`, `${baseURL}/decisions`]);
	consoleGuard.expect(/^error: Framing 'http:\/\/localhost:\d+\/' violates the following Content Security Policy directive: "frame-ancestors 'none'"/, 'the third frame is an ordinary page, which refuses to be framed');
	try {
		await page.goto(host.url);
		await expect(page.frameLocator('#f0').locator('h1')).toHaveText(/^Decisions of /);
		await expect(page.frameLocator('#f0').locator('li').first()).toBeVisible();
		await expect(page.frameLocator('#f1').locator('h1')).toHaveText(/^Upcoming meetings of /);
		// Links leave the frame for a tab of their own (the site itself may not be framed).
		await expect(page.frameLocator('#f0').locator('a.t').first()).toHaveAttribute('target', '_blank');
		// The register itself, with its filters, never shows inside another site.
		await expect(page.frameLocator('#f2').locator('form.filters')).toHaveCount(0);
		await page.setViewportSize(DESKTOP);
		await screenshot(page, 'embed-host-desktop');
	} finally {
		await host.close();
	}
});

/** Each embed in each language, at a site's column width and at a phone's. */
test('the embeds read well in Albanian, English and Greek, on a desktop and a phone', async ({ page }) => {
	test.setTimeout(60_000);
	for (const lang of ['sq', 'en', 'el']) {
		for (const kind of ['decisions', 'meetings']) {
			await page.setViewportSize({ width: 560, height: 640 });
			await page.goto(`/embed/${kind}?lang=${lang}`);
			await expect(page.locator('html')).toHaveAttribute('lang', lang);
			await screenshot(page, `embed-${kind}-${lang}-desktop`);
			await page.setViewportSize({ width: 390, height: 844 });
			await screenshot(page, `embed-${kind}-${lang}-phone`);
		}
	}
});

async function calendarSettings(browser: Browser, email: string, viewport: { width: number; height: number }): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: 'sq-AL' });
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const page = await context.newPage();
	await signInReading(page, email, SEEDED_LANGUAGE[email]);
	await page.goto('/settings/calendar');
	return page;
}

test('a member makes their calendar link, copies it, a calendar app reads it, and it is revoked', async ({ browser }) => {
	const page = await calendarSettings(browser, 'member1@demo.test', DESKTOP);
	await page.getByRole('button', { name: 'Krijo lidhjen time të kalendarit' }).click();
	const address = page.getByLabel('Adresa e kalendarit');
	await expect(address).toHaveValue(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
	const url = await address.inputValue();
	await page.getByRole('button', { name: 'Kopjo' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'U kopjua.' })).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
	await screenshot(page, 'calendar-settings-sq-desktop');
	// A calendar app: no cookie, just the address.
	const feed = await page.context().request.fetch(url, { headers: { cookie: '' } });
	expect(feed.status()).toBe(200);
	expect(await feed.text()).toContain('BEGIN:VCALENDAR');
	// Back on the page: the link is there, never shown again; revoking ends it (and leaves the demo member as found).
	await page.goto('/settings/calendar');
	await expect(page.getByTestId('calendar-status')).toBeVisible();
	await expect(page.locator('body')).not.toContainText(url);
	await page.getByRole('button', { name: 'Anulo lidhjen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Lidhja u anulua' })).toBeVisible();
	expect((await page.context().request.fetch(url)).status()).toBe(404);
	await page.context().close();
});

test('the calendar settings read well in English and Greek, and on a phone', async ({ browser }) => {
	test.setTimeout(120_000);
	for (const [email, lang, make] of [
		['member5@demo.test', 'en', 'Make my calendar link'],
		['member2@demo.test', 'el', 'Δημιουργία του συνδέσμου ημερολογίου μου'],
		['member1@demo.test', 'sq', 'Krijo lidhjen time të kalendarit']
	]) {
		for (const [size, viewport] of [
			['desktop', DESKTOP],
			['phone', PHONE]
		] as const) {
			const page = await calendarSettings(browser, email, { ...viewport, width: size === 'phone' ? 390 : viewport.width, height: size === 'phone' ? 844 : viewport.height });
			await page.getByRole('button', { name: make }).click();
			await expect(page.locator('input[readonly]')).toHaveValue(/\.ics$/);
			await screenshot(page, `calendar-settings-${lang}-${size}`);
			await page.locator('form[action="?/revoke"] button').click();
			await expect(page.locator('form[action="?/revoke"]')).toHaveCount(0);
			await page.context().close();
		}
	}
});
