import type { Browser } from '@playwright/test';
import { expect, PHONE, screenshot, signIn, test } from './helpers.js';

// Issue #17 point 2: times in the reader's zone. The public spring assembly of the demo network meets at 10:00 in
// Tirana; a Greek member in Arta (one hour ahead) must read 11:00, with the zone named, and may choose another zone.
const MEETING = '/meetings/1';

/** The meeting's start as the page says it, and the hour it should say in `zone`. */
async function readAt(browser: Browser, zone: string, locale: string, member?: string) {
	const context = await browser.newContext({ viewport: PHONE, timezoneId: zone, locale });
	const page = await context.newPage();
	if (member) await signIn(page, member);
	await page.goto(MEETING);
	const time = page.locator('main time').first();
	const startsAt = new Date((await time.getAttribute('datetime'))!);
	const hour = (z: string) => new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: z }).format(startsAt);
	return { context, page, time, hour };
}

test('a member in Arta reads the meeting at the hour of Arta, or of Tirana when they choose it', async ({ browser }) => {
	const tirana = await readAt(browser, 'Europe/Tirane', 'sq-AL');
	await expect(tirana.time).toContainText(`${tirana.hour('Europe/Tirane')} – `);
	await expect(tirana.time).not.toContainText('GMT');
	await tirana.context.close();

	// A visitor from Greece: the first page is rendered in the network's zone, then follows the browser's.
	const visitor = await readAt(browser, 'Europe/Athens', 'el-GR');
	await expect(visitor.time).toContainText(`${visitor.hour('Europe/Athens')} – `);
	await expect(visitor.time).toContainText('(GMT+2)');
	expect(visitor.hour('Europe/Athens')).not.toBe(visitor.hour('Europe/Tirane'));
	// Rendered by the server in their zone from the next page on.
	const again = await visitor.page.request.get(MEETING, { headers: { accept: 'text/html' } });
	expect(await again.text()).toContain(`${visitor.hour('Europe/Athens')} – `);
	await visitor.context.close();

	const member = await readAt(browser, 'Europe/Athens', 'el-GR', 'member2@demo.test');
	await expect(member.time).toContainText(`${member.hour('Europe/Athens')} – `);
	await screenshot(member.page, 'time-zones-meeting-athens-phone');
	await member.page.goto('/settings');
	const select = member.page.locator('select[name=timeZone]');
	await expect(select.locator('option').first()).toContainText('Europe/Athens');
	await select.selectOption('Europe/Tirane');
	await member.page.locator('form:has(select[name=timeZone]) button[type=submit]').click();
	await expect(member.page.locator('form:has(select[name=timeZone]) [role=status]')).toBeVisible();
	await member.page.goto(MEETING);
	await expect(member.time).toContainText(`${member.hour('Europe/Tirane')} – `);
	await expect(member.time).not.toContainText('GMT');
	await member.context.close();
});
