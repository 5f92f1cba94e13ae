import type { Browser } from '@playwright/test';
import { DESKTOP, PHONE, expect, screenshot, signIn, test } from './helpers.js';

// The whole chain of a decision and "check this result" (issue #18, point 7), on the demo's decided ranked vote (public,
// in the register): every visitor's browser recounts its published ballots, round by round, with the server's code.
// Nothing here changes shared demo state: visitors choose a language by cookie only; the steward only opens a form.

const THEME = 'Tema e takimit vjetor të rrjetit 2027';
const WORDS = {
	sq: { check: 'Kontrolloni këtë rezultat', match: 'Përputhet', round: 'Raundi 1', applied: 'Asnjë ndryshim në tekst' },
	en: { check: 'Check this result', match: 'It matches', round: 'Round 1', applied: 'No change to any text' },
	el: { check: 'Έλεγχος αποτελέσματος', match: 'Ταιριάζει', round: 'Γύρος 1', applied: 'Καμία αλλαγή σε κείμενο' }
} as const;

/** A visitor reading `locale` (a cookie: nobody's stored language changes). */
async function visitor(browser: Browser, locale: 'sq' | 'en' | 'el', viewport: { width: number; height: number }) {
	const context = await browser.newContext({ viewport });
	const headers = { origin: String(test.info().project.use.baseURL) };
	expect((await context.request.post('/language', { form: { locale, redirectTo: '/decisions' }, headers })).ok()).toBe(true);
	return context.newPage();
}

test('a decision shows its whole chain, and every browser checks its result round by round; "put to a vote" comes filled in', async ({ browser, page }) => {
	test.setTimeout(60_000);
	// The register links each decision to its chain.
	const reader = await visitor(browser, 'sq', PHONE);
	await reader.goto('/decisions');
	const entry = reader.locator('li.decision', { has: reader.getByRole('heading', { name: THEME }) });
	const chainPath = await entry.getByRole('link', { name: 'Zinxhiri i plotë' }).getAttribute('href');
	expect(chainPath).toMatch(/^\/decisions\/\d+$/);
	await reader.context().close();

	// Three languages on a phone and a desktop (one after the other: hydrating six pages at once is slower here).
	const views = (['sq', 'en', 'el'] as const).flatMap((locale) => [['phone', PHONE] as const, ['desktop', DESKTOP] as const].map(([device, viewport]) => ({ locale, device, viewport })));
	for (const { locale, device, viewport } of views) {
		const p = await visitor(browser, locale, viewport);
		await p.goto(chainPath!);
		await expect(p.getByRole('heading', { level: 1, name: THEME })).toBeVisible();
		await expect(p.getByTestId('chain-applied')).toContainText(WORDS[locale].applied);
		await p.getByRole('button', { name: WORDS[locale].check }).click();
		await expect(p.getByTestId('result-check-result')).toContainText(`✓ ${WORDS[locale].match}`);
		// Instant-runoff: each round recounted and compared, then the outcome.
		const steps = p.getByTestId('result-check').getByRole('listitem');
		await expect(steps.first()).toContainText(WORDS[locale].round);
		expect(await steps.count()).toBeGreaterThan(2);
		await screenshot(p, `chain-${locale}-${device}`);
		await p.context().close();
	}

	// A steward puts the demo's proposed amendment to a vote: the form comes filled in from it (not sent here).
	await page.setViewportSize(DESKTOP);
	await signIn(page, 'coordinator@demo.test');
	await page.goto('/drafts');
	await page.getByRole('link', { name: 'Rregullorja e brendshme e rrjetit' }).first().click();
	await page.waitForURL(/\/drafts\/\d+$/);
	await page.goto(`${new URL(page.url()).pathname}/amendments`);
	// Its vote is already open (the demo's): the amendment links to it instead of offering another.
	await expect(page.getByRole('link', { name: 'Votimi për këtë tropojë →' })).toBeVisible();
	const id = (await page.locator('ol.amendments li header strong').first().textContent())!.replace('#', '');
	await page.goto(`/votes/new?amendment=${id}`);
	await expect(page.getByTestId('prefilled')).toBeVisible();
	await expect(page.getByLabel('Pyetja ose titulli', { exact: true })).toHaveValue(new RegExp(`^Tropoja #${id} për «`));
	await expect(page.locator('input[name=method][value=yes_no]')).toBeChecked();
	await screenshot(page, 'chain-put-to-vote-sq-desktop');
});
