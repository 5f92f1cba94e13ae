import { DESKTOP, PHONE, expectAccessible, refusedForm, screenshot, signIn, expect, test } from './helpers.js';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40" rx="6" fill="#c0392b"/><text x="60" y="27" font-family="sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">SPK</text><script>alert(1)</script></svg>`;
const TAGLINE_EN = 'An open, non-formal network of independent cultural organisations and individuals. Here members discuss proposals, write policy together and vote in live meetings.';

test('a coordinator reshapes the network’s profile on a phone; visitors see it in their language', async ({ page, browser, consoleGuard }) => {
	// Two sign-ins' worth of pages, an accessibility scan and two uploads: more than the default 30 s on a busy machine.
	test.setTimeout(90_000);
	consoleGuard.expect(refusedForm('/coordination/network'), 'the first save has a website that is not http(s): answered 400 with the form again');
	await page.setViewportSize(PHONE);
	await signIn(page, 'coordinator@demo.test');
	await page.goto('/coordination');
	await page.getByRole('link', { name: 'Profili i rrjetit' }).click();
	await page.waitForURL('**/coordination/network');
	await expect(page.getByRole('group', { name: 'Emri', exact: true }).getByLabel('English')).toHaveValue('Independent Cultural Scene');
	await expectAccessible(page);

	const tagline = page.getByRole('group', { name: 'Prezantimi i shkurtër' });
	await tagline.getByLabel('English').fill('Independent culture, deciding together.');
	await page.getByLabel('Faqja e internetit').fill('javascript:alert(1)');
	await page.getByRole('button', { name: 'Ruaj profilin' }).click();
	await expect(page.getByText('Shkruani një adresë interneti që fillon me https://')).toBeVisible();
	await expect(tagline.getByLabel('English')).toHaveValue('Independent culture, deciding together.');

	await page.getByLabel('Faqja e internetit').fill('https://skena.example.org');
	await page.getByLabel('Ngarko një logo të re').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO) });
	await page.getByRole('button', { name: 'Ruaj profilin' }).click();
	await expect(page.getByText('Profili u ruajt.')).toBeVisible();
	await screenshot(page, 'network-profile-phone');

	const visitorContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
	const visitor = await visitorContext.newPage();
	await visitorContext.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: page.url() }]);
	await visitor.goto('/');
	await expect(visitor).toHaveTitle('Independent Cultural Scene · Kuvend');
	await expect(visitor.getByText('Independent culture, deciding together.')).toBeVisible();
	const logo = visitor.getByRole('img', { name: 'Independent Cultural Scene logo' });
	await expect(logo).toBeVisible();
	expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
	await expect(visitor.locator('footer').getByRole('link', { name: 'skena.example.org' })).toHaveAttribute('href', 'https://skena.example.org/');
	await screenshot(visitor, 'network-profile-home-desktop');
	await visitorContext.close();

	// Put the demo's words back for the specs that follow.
	await tagline.getByLabel('English').fill(TAGLINE_EN);
	await page.getByLabel('Faqja e internetit').fill('');
	await page.getByLabel('Hiqe logon').check();
	await page.getByRole('button', { name: 'Ruaj profilin' }).click();
	await expect(page.getByText('Profili u ruajt.')).toBeVisible();
});
