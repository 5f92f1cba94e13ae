import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, expectAccessible, screenshot, signIn, expect, test, signInReading } from './helpers.js';

// A member's first hour on a 375 px phone, continued (issue #17 points 4, 7 and 9), in Albanian, where it was found.
// Labels from src/lib/i18n/messages/sq.json.
const sq = {
	yourReply: 'Përgjigjja juaj',
	send: 'Dërgo përgjigjen',
	edit: 'Ndrysho',
	editLabel: 'Ndrysho postimin',
	save: 'Ruaj',
	mentionList: 'Anëtarë për t’u përmendur',
	tagTitle: (tag: string) => `Tema me etiketën #${tag}`,
	checkIn: 'Regjistro praninë'
};

const run = Date.now().toString(36);

async function phoneMember(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ viewport: PHONE, locale: 'sq-AL', hasTouch: true, isMobile: true });
	const page = await context.newPage();
	await signInReading(page, email, 'sq');
	return page;
}

/** Whether the element is inside the visible viewport and nothing covers its middle. */
async function inSightAndOnTop(page: Page, selector: string): Promise<boolean> {
	return page.evaluate((sel) => {
		const el = document.querySelector(sel);
		if (!el) return false;
		const r = el.getBoundingClientRect();
		const view = window.visualViewport ?? { offsetTop: 0, height: window.innerHeight, width: window.innerWidth };
		if (r.top < 0 || r.bottom > view.height || r.left < 0 || r.right > view.width) return false;
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return !!hit && el.contains(hit);
	}, selector);
}

const openingThread = async (page: Page) => {
	await page.goto('/search?q=advokim');
	await page.locator('ol.hits a').first().click();
	await page.waitForURL(/\/forum\/t\/\d+/);
};

test('a mention on a phone: the list stands above the keyboard, finds Greek from Latin, and the box shows only @Name', async ({ browser }) => {
	test.setTimeout(90_000);
	const arben = await phoneMember(browser, 'member1@demo.test');
	await openingThread(arben);
	const box = arben.getByRole('combobox', { name: sq.yourReply, exact: true });
	await box.scrollIntoViewIfNeeded();
	await box.click();
	// The on-screen keyboard takes the lower half of the screen: what is left is 375 × 400.
	await arben.setViewportSize({ width: PHONE.width, height: 400 });
	await box.evaluate((el) => el.scrollIntoView({ block: 'end' }));
	// Four lines down, the caret is on the box's last line, at the bottom of what the keyboard leaves: no room below.
	await box.pressSequentially(`Pyetje ${run}\n\n\n\npër @Μαρ`, { delay: 20 });
	const list = arben.getByRole('listbox', { name: sq.mentionList });
	await expect(list).toBeVisible();
	const option = list.getByRole('option', { name: '@Maria Georgiou' });
	await expect(option).toBeVisible();
	await expect.poll(() => inSightAndOnTop(arben, '[role=listbox]:not([hidden])')).toBe(true);
	// It stands above the caret's line, not under it where the keyboard is.
	const listBox = (await list.boundingBox())!;
	const boxBottom = (await box.boundingBox())!;
	expect(listBox.y + listBox.height).toBeLessThan(boxBottom.y + boxBottom.height - 20);
	await screenshot(arben, 'first-hour-mention-keyboard-sq-375');
	for (let i = 0; i < 10 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await box.press('ArrowDown');
	await box.press('Enter');
	await expect(list).toBeHidden();
	await expect(box).toHaveValue(`Pyetje ${run}\n\n\n\npër @Maria Georgiou `);
	await box.pressSequentially('si është në Artë?');
	await expect(box).not.toHaveValue(/member:|\]\(/);
	await arben.setViewportSize(PHONE);
	await arben.getByRole('button', { name: sq.send }).click();
	const post = arben.locator('article.post').filter({ hasText: `Pyetje ${run}` });
	await expect(post.getByRole('link', { name: '@Maria Georgiou' })).toBeVisible();

	// Editing it: the box shows @Name again, and what is saved is still a mention.
	await post.getByRole('button', { name: sq.edit, exact: true }).click();
	const editBox = arben.getByRole('combobox', { name: sq.editLabel });
	await expect(editBox).toHaveValue(`Pyetje ${run}\n\n\n\npër @Maria Georgiou si është në Artë?`);
	await editBox.press('End');
	await editBox.pressSequentially(' Faleminderit.');
	await arben.locator('form').filter({ has: editBox }).getByRole('button', { name: sq.save, exact: true }).click();
	await expect(post).toContainText('Faleminderit.');
	await expect(post.getByRole('link', { name: '@Maria Georgiou' })).toBeVisible();
	await arben.context().close();
});

test('settings on a phone: every tab is in sight and reachable, no sideways scroll', async ({ browser }) => {
	const page = await phoneMember(browser, 'member1@demo.test');
	await page.goto('/settings');
	const tabs = page.getByRole('navigation', { name: 'Cilësimet' }).getByRole('link');
	const count = await tabs.count();
	expect(count).toBe(6);
	for (let i = 0; i < count; i++) {
		const box = (await tabs.nth(i).boundingBox())!;
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
	}
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
	await screenshot(page, 'first-hour-settings-tabs-sq-375');
	await tabs.nth(count - 1).click();
	await page.waitForURL('**/settings/api');
	await expect(tabs.nth(count - 1)).toHaveAttribute('aria-current', 'page');
	await page.context().close();
});

test('a tag is a link to its threads across the spaces a visitor may see', async ({ browser }) => {
	const context = await browser.newContext({ viewport: PHONE, locale: 'sq-AL' });
	const page = await context.newPage();
	await openingThread(page);
	await page.getByTestId('tag-link').filter({ hasText: '#ligji' }).click();
	await page.waitForURL(/\/forum\?tag=ligji$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(sq.tagTitle('ligji'));
	await expect(page.getByTestId('tagged-threads')).toContainText('ligjin e ri të kulturës');
	await expectAccessible(page);
	await screenshot(page, 'first-hour-tag-sq-375');
	// A members-only thread's tag lists nothing to a visitor.
	await page.goto('/forum?tag=buxheti');
	await expect(page.getByTestId('tagged-threads')).toHaveCount(0);
	await context.close();
});

test('work out of sight: a new thread appears in the open space, check-in is above the fold, a PDF says it is coming', async ({ browser }) => {
	test.setTimeout(90_000);
	const reader = await phoneMember(browser, 'member4@demo.test');
	await reader.goto('/forum/music');
	const author = await browser.newPage({ viewport: DESKTOP });
	await signIn(author, 'member5@demo.test');
	const title = `Koncerti i verës ${run}`;
	await author.goto('/forum/music');
	await author.locator('input[name=title]').fill(title);
	await author.locator('textarea[name=body]').fill('Kush vjen?');
	await author.locator('form:has(input[name=title]) button[type=submit]').click();
	await author.waitForURL(/\/forum\/t\/\d+$/);
	await expect(reader.getByTestId('threads')).toContainText(title);
	await author.context().close();

	// The spring assembly's live room: checking in is the first thing on the phone's screen.
	await reader.goto('/meetings');
	const href = await reader.getByRole('link', { name: 'Asambleja e pranverës e rrjetit' }).first().getAttribute('href');
	await reader.goto(`${href}/live`);
	const checkIn = reader.getByRole('button', { name: sq.checkIn });
	await expect(checkIn).toBeVisible();
	const box = (await checkIn.boundingBox())!;
	expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
	await screenshot(reader, 'first-hour-live-checkin-sq-375');

	// A draft's PDF: the link says it is being prepared, then the file arrives and the toaster says so.
	await reader.goto('/drafts');
	await reader.locator('main a[href^="/drafts/"]').filter({ hasText: 'Qëndrimi i rrjetit' }).first().click();
	await reader.waitForURL(/\/drafts\/\d+$/);
	await reader.locator('details.export summary').click();
	const download = reader.waitForEvent('download');
	await reader.getByTestId('export-pdf').click();
	expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
	await expect(reader.getByRole('status').filter({ hasText: 'PDF u shkarkua.' })).toBeVisible();
	await reader.context().close();
});
