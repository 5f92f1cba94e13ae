import type { Page } from '@playwright/test';
import { expect, expectAccessible, PHONE, screenshot, signIn, test } from './helpers.js';

// Issue #17 point 5, found in Albanian on a 375 px phone: every section of the header reachable without a sideways
// swipe, /organisations in the menu, applicants able to sign out, field chips that lead to their spaces, and a
// visitor told why only some spaces are open.
test.use({ viewport: PHONE });

/** Opens the folded menu and checks that each of its links lies inside the screen, and the page does not scroll sideways. */
async function everySectionInSight(page: Page, expected: string[]): Promise<void> {
	const toggle = page.getByRole('button', { name: 'Menyja' });
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	const menu = page.getByRole('navigation', { name: 'Kryesore' });
	await expect(menu).toBeHidden();
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	const links = menu.getByRole('link');
	await expect(links).toHaveText(expected);
	for (const link of await links.all()) {
		const box = (await link.boundingBox())!;
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
	}
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

test('a visitor finds every section, the field spaces and why some are closed, on a phone', async ({ page }) => {
	await page.goto('/');
	await everySectionInSight(page, ['Forumi', 'Draftet', 'Votimet', 'Mbledhjet', 'Vendimet', 'Grupet', 'Organizatat']);
	await page.getByRole('navigation', { name: 'Kryesore' }).getByRole('link', { name: 'Organizatat' }).click();
	await expect(page).toHaveURL(/\/organisations$/);
	// Navigating folds the menu again.
	await expect(page.getByRole('navigation', { name: 'Kryesore' })).toBeHidden();

	await page.goto('/');
	const chips = page.locator('#fields ul.chips a');
	await expect(chips).toHaveCount(17);
	await chips.filter({ hasText: 'Politika kulturore' }).click();
	await expect(page).toHaveURL(/\/forum\/cultural-policy$/);
	// A members' space: the sign-in page says why it was shown.
	await page.goto('/');
	await chips.filter({ hasText: 'Muzikë' }).click();
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fforum%2Fmusic&why=members$/);
	await expect(page.getByText('Faqja që kërkuat është vetëm për anëtarët.')).toBeVisible();

	await page.goto('/forum');
	await expect(page.getByTestId('forum-visitor-note')).toContainText('Hapësirat e tjera të fushave dhe të grupeve janë për anëtarët');
	await expectAccessible(page);
	await screenshot(page, 'navigation-visitor-forum-phone-sq');
});

test('an applicant signs out on a phone; a coordinator reaches all nine sections', async ({ page }) => {
	await page.goto('/');
	const origin = new URL(page.url()).origin;
	const email = `aplikuese.${Date.now()}@example.org`;
	const applied = await page.request.post('/join', {
		headers: { origin, accept: 'text/html' },
		form: { kind: 'individual', name: 'Elira Hoxha', email, password: 'nje-fjalekalim-i-gjate', city: 'Tiranë', fields: 'music', motivation: 'Dua të marr pjesë në rrjet si muzikante e pavarur.' },
		maxRedirects: 0
	});
	expect(applied.status()).toBe(303);
	await page.goto('/application');
	await expect(page.getByRole('heading', { name: 'Aplikimi juaj' })).toBeVisible();
	const signOut = page.getByRole('button', { name: 'Dil' });
	await expect(signOut).toBeInViewport();
	await screenshot(page, 'navigation-applicant-phone-sq');
	await signOut.click();
	await expect(page.getByRole('link', { name: 'Hyr' })).toBeVisible();

	await signIn(page, 'coordinator@demo.test');
	await everySectionInSight(page, ['Forumi', 'Draftet', 'Votimet', 'Mbledhjet', 'Vendimet', 'Anëtarët', 'Organizatat', 'Moderimi', 'Koordinimi']);
	await screenshot(page, 'navigation-coordinator-menu-phone-sq');
});
