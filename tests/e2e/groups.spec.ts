import { PHONE, expectAccessible, refusedForm, screenshot, signIn, expect, test } from './helpers.js';

test('a coordinator creates a group on a phone, readers see it in their language, and archiving closes it to joining', async ({ browser, consoleGuard }) => {
	// Three people in three browsers, four accessibility scans.
	test.setTimeout(120_000);
	consoleGuard.expect(refusedForm('/coordination/groups/new'), 'the first try repeats a group name: answered 400 with the form again');
	const context = await browser.newContext({ viewport: PHONE, locale: 'sq-AL' });
	const page = await context.newPage();
	await signIn(page, 'coordinator@demo.test');
	await page.goto('/coordination/groups');
	await expect(page.getByRole('link', { name: 'Grupet', exact: true })).toHaveAttribute('aria-current', 'page');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Grup i ri' }).click();
	await page.waitForURL('**/coordination/groups/new');
	await expect(page.getByRole('link', { name: 'Grupet', exact: true })).toHaveAttribute('aria-current', 'page');

	await page.getByRole('textbox', { name: 'Emri', exact: true }).fill('Aleanca Kulturore');
	await page.getByRole('radio', { name: 'Tjetër' }).check();
	await page.getByRole('textbox', { name: 'Qyteti', exact: true }).fill('Berat');
	await page.getByRole('textbox', { name: 'Shqip', exact: true }).fill('Grupi i festivalit të Beratit.');
	await page.getByRole('textbox', { name: 'English', exact: true }).fill('The Berat festival group.');
	await page.getByRole('radio', { name: 'Me kërkesë, që e miraton një lehtësues' }).check();
	await page.getByRole('radio', { name: 'Publike' }).check();
	await page.getByRole('checkbox', { name: 'Blerina Shehu · Korçë' }).check();
	await page.getByRole('button', { name: 'Krijo grupin' }).click();

	// A name already taken: the message, and everything typed is still there.
	await expect(page.getByText('Një grup tjetër e ka tashmë këtë emër.')).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'English', exact: true })).toHaveValue('The Berat festival group.');
	await expect(page.getByRole('radio', { name: 'Tjetër' })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: 'Blerina Shehu · Korçë' })).toBeChecked();
	await expectAccessible(page);
	await screenshot(page, 'group-new-refused-phone');
	await page.getByRole('textbox', { name: 'Emri', exact: true }).fill('Grupi i festivalit të Beratit');
	await page.getByRole('button', { name: 'Krijo grupin' }).click();
	await page.waitForURL('**/coordination/groups?created=1');
	await expect(page.getByText('Grupi u krijua.')).toBeVisible();
	await page.getByRole('link', { name: 'Grupi i festivalit të Beratit' }).click();
	await page.waitForURL('**/coordination/groups/grupi-i-festivalit-te-beratit');
	await expectAccessible(page);

	// An English-speaking visitor reads the English text; a Greek one, where nothing was written in Greek, the Albanian.
	const visitors = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
	const visitor = await visitors.newPage();
	await visitor.goto('/groups/grupi-i-festivalit-te-beratit');
	await expect(visitor.getByText('The Berat festival group.')).toBeVisible();
	await expect(visitor.getByText('Other', { exact: true })).toBeVisible();
	const greek = await (await browser.newContext({ viewport: PHONE, locale: 'el-GR' })).newPage();
	await greek.goto('/groups/grupi-i-festivalit-te-beratit');
	await expect(greek.getByText('Grupi i festivalit të Beratit.')).toBeVisible();

	await page.getByRole('button', { name: 'Arkivo grupin' }).click();
	await expect(page.getByText('Grupi u arkivua.')).toBeVisible();
	await visitor.reload();
	await expect(visitor.getByText('This group is archived')).toBeVisible();
	await visitor.goto('/groups');
	await expect(visitor.getByRole('link', { name: 'Grupi i festivalit të Beratit' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Rikthe grupin' }).click();
	await expect(page.getByText('Grupi u rikthye.')).toBeVisible();
	await visitor.reload();
	await expect(visitor.getByRole('link', { name: 'Grupi i festivalit të Beratit' })).toBeVisible();
});
