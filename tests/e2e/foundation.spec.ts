import { DESKTOP, PHONE, expectAccessible, refusedForm, screenshot, signIn, expect, test } from './helpers.js';

test.describe('the public face', () => {
	for (const [name, viewport] of [
		['desktop', DESKTOP],
		['phone', PHONE]
	] as const) {
		test(`landing page on a ${name}`, async ({ page }) => {
			await page.setViewportSize(viewport);
			await page.goto('/');
			await expect(page.locator('html')).toHaveAttribute('lang', 'sq');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diskutojmë, hartojmë dhe vendosim së bashku');
			await expect(page.getByText('Trashëgimi kulturore')).toBeVisible();
			await expect(page.getByText('Klasteri kulturor i Korçës')).toBeVisible();
			// Nothing spills sideways on a phone.
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow).toBeLessThanOrEqual(0);
			await screenshot(page, `landing-${name}`);
			await expectAccessible(page);
		});
	}
});

test('the join form on a desktop', async ({ page }) => {
	await page.setViewportSize(DESKTOP);
	await page.goto('/join');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anëtarësohu në rrjet');
	await screenshot(page, 'join-desktop');
});

test('a member signs in, keeps the typed email after a mistake, and switches language', async ({ page, consoleGuard }) => {
	consoleGuard.expect(refusedForm('/login'), 'the wrong password is answered 400 with the form again');
	await page.setViewportSize(PHONE);
	await page.goto('/login');
	await page.locator('input[name=email]').fill('member1@demo.test');
	await page.locator('input[name=password]').fill('not the password');
	await page.locator('form button[type=submit]').click();
	await expect(page.getByRole('alert')).toContainText('nuk përputhen');
	await expect(page.locator('input[name=email]')).toHaveValue('member1@demo.test');
	await screenshot(page, 'login-error-phone');
	await expectAccessible(page);

	await page.locator('input[name=password]').fill('demo-kuvend');
	await page.locator('form button[type=submit]').click();
	await page.waitForURL('**/forum');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forumi');

	await page.getByLabel('Gjuha').selectOption('en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forum');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByLabel('Language').selectOption('el');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Φόρουμ');
	await screenshot(page, 'forum-el-phone');

	// The choice is the member's: a new browser context signs in and finds Greek.
	const fresh = await page.context().browser()!.newContext();
	const other = await fresh.newPage();
	await signIn(other, 'member1@demo.test');
	await expect(other.locator('html')).toHaveAttribute('lang', 'el');
	await fresh.close();
});

test('the members area is keyboard usable and accessible', async ({ page }) => {
	// Sixteen pages, each checked by axe (1.5–2 s a page here): more than the default 30 s on a busy machine, and
	// more than 90 s beside the other half of the browser tests on two cores.
	test.setTimeout(180_000);
	await page.setViewportSize(DESKTOP);
	await signIn(page, 'coordinator@demo.test');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Kalo te përmbajtja' })).toBeFocused();
	await page.getByRole('link', { name: 'Anëtarët' }).focus();
	await page.keyboard.press('Enter');
	await page.waitForURL('**/members');
	await expect(page.getByText('Nikos Papadopoulos')).toBeVisible();
	await screenshot(page, 'members-desktop');
	await expectAccessible(page);
	for (const path of ['/forum', '/drafts', '/meetings', '/decisions', '/settings', '/settings/security', '/settings/notifications', '/settings/data', '/coordination', '/coordination/outbox', '/coordination/audit', '/organisations', '/groups', '/groups/meta-klasteri']) {
		await page.goto(path);
		await expectAccessible(page);
	}
	await screenshot(page, 'settings-desktop');
});

test('signing out everywhere ends the session in every open tab', async ({ browser }) => {
	const context = await browser.newContext();
	const tab1 = await context.newPage();
	await signIn(tab1, 'member3@demo.test');
	// A second browser of the same member.
	const other = await browser.newContext();
	const tab2 = await other.newPage();
	await signIn(tab2, 'member3@demo.test');
	await tab2.goto('/members');

	await tab1.goto('/settings/security');
	await tab1.getByRole('button', { name: 'Dil kudo' }).click();
	await expect(tab1.getByRole('dialog')).toBeVisible();
	await screenshot(tab1, 'settings-confirm-desktop');
	await tab1.getByRole('dialog').getByRole('button', { name: 'Dil kudo' }).click();
	await tab1.waitForURL('**/login?ended=1');
	// The other browser is told over Socket.IO and leaves without a reload.
	await tab2.waitForURL('**/login?ended=1');
	await expect(tab2.getByText('Keni dalë nga llogaria')).toBeVisible();
	await context.close();
	await other.close();
});
