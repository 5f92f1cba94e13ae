import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { DESKTOP, expectAccessible, expect, restoreSeededLanguages, test } from './helpers.js';

// Labels from src/lib/i18n/messages/sq.json: members read Albanian; visitors read the result in English and Greek.
const sq = {
	newVote: 'Votim i ri',
	title: 'Pyetja ose titulli',
	election: /^Zgjedhje me votë të transferueshme/,
	seats: "Vende për t'u plotësuar",
	opens: 'Hapet më',
	public: 'Të gjithë, edhe vizitorët',
	create: 'Krijo votimin',
	statement: 'Deklarata juaj',
	stand: 'Kandidoj',
	openNow: 'Hape votimin tani',
	cast: 'Hidh votën',
	close: 'Mbyll votimin',
	check: 'Kontrolloni këtë rezultat'
};
const PHONE = { width: 390, height: 844 };
const SHOTS = '/tmp/election-shots';

/** A full-page screenshot for a person to look at, taken when VOTE_SHOTS=1 (they cost time on every run). */
async function shot(page: Page, name: string): Promise<void> {
	if (!process.env.VOTE_SHOTS) return;
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

// Members switched to Albanian here get their seeded languages back (the next spec expects them).
test.afterAll(({ browser }) => restoreSeededLanguages(browser));

/** A signed-in member in a context of their own, switched to Albanian (stored: put back by the afterAll above). */
async function member(browser: Browser, email: string, viewport = PHONE): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: 'sq-AL' });
	const headers = { origin: String(test.info().project.use.baseURL) };
	expect((await context.request.post('/login', { form: { email, password: 'demo-kuvend' }, headers })).ok()).toBe(true);
	expect((await context.request.post('/language', { form: { locale: 'sq', redirectTo: '/votes' }, headers })).ok()).toBe(true);
	return context.newPage();
}

/** A visitor reading `locale` (a cookie only: no member's stored language changes). */
async function visitor(browser: Browser, locale: 'en' | 'el', viewport: { width: number; height: number }): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: locale === 'en' ? 'en-GB' : 'el-GR' });
	const headers = { origin: String(test.info().project.use.baseURL) };
	expect((await context.request.post('/language', { form: { locale, redirectTo: '/votes' }, headers })).ok()).toBe(true);
	return context.newPage();
}

test('an election: candidacies with statements, ranked ballots on phones, the STV count stage by stage, checked in the browser', async ({ browser }) => {
	// Seven browsers, one election, the result read in three languages: about a minute on a quiet machine.
	test.setTimeout(240_000);
	const elira = await member(browser, 'coordinator@demo.test', DESKTOP);
	await elira.goto('/votes');
	await elira.getByRole('link', { name: sq.newVote }).click();
	await elira.getByLabel(sq.title, { exact: true }).fill('Bordi i rrjetit 2027');
	await elira.getByRole('radio', { name: sq.election }).check();
	await elira.getByLabel(sq.seats, { exact: true }).fill('2');
	await elira.getByLabel(sq.public).check();
	await elira.getByLabel(sq.opens, { exact: true }).fill('2030-01-15T10:00');
	await shot(elira, 'new-election-desktop');
	await elira.getByRole('button', { name: sq.create }).click();
	await elira.waitForURL(/\/votes\/\d+$/);
	const path = new URL(elira.url()).pathname;

	// Three members stand, each with a statement, from their phones.
	const people = ['member1@demo.test', 'member3@demo.test', 'member5@demo.test', 'member2@demo.test', 'member4@demo.test'];
	const phones = await Promise.all(people.map((e) => member(browser, e)));
	const statements = ['Një rrjet që flet me bashkitë.', 'Buxhete të hapura për çdo projekt.', 'Bashkëpunim me Selanikun dhe Janinën.'];
	for (const [i, text] of statements.entries()) {
		await phones[i].goto(path);
		await phones[i].getByLabel(sq.statement).fill(text);
		await phones[i].getByRole('button', { name: sq.stand }).click();
		await expect(phones[i].getByTestId('election')).toContainText(text);
		if (i === 2) await shot(phones[i], 'candidacy-phone');
	}
	await elira.reload();
	for (const text of statements) await expect(elira.getByTestId('election')).toContainText(text);

	// The coordinator opens the vote: the candidacy period ends, the candidates are the ballot.
	await elira.getByRole('button', { name: sq.openNow }).click();
	await expect(elira.getByRole('button', { name: sq.openNow })).toHaveCount(0);
	const names = await elira.getByTestId('election').locator('li strong').allTextContents();
	expect(names).toHaveLength(3);
	const rankings = [[0, 1], [0, 2], [1, 2], [2, 1], [0]];
	for (const [i, page] of phones.entries()) {
		await page.goto(path);
		for (const [rank, c] of rankings[i].entries()) await page.getByLabel(names[c], { exact: true }).selectOption(String(rank + 1));
		if (i === 0) await shot(page, 'election-ballot-phone');
		await page.getByRole('button', { name: sq.cast }).click();
		await expect(page.getByTestId('receipt')).toBeVisible();
	}

	await elira.locator('summary', { hasText: sq.close }).click();
	await elira.getByRole('button', { name: sq.close }).click();
	await expect(elira.getByTestId('result')).toHaveAttribute('data-outcome', 'elected');
	await expect(elira.getByTestId('stv-stages')).toBeVisible();
	await expect(elira.getByTestId('stv-stages')).toContainText('Kuota: 2');
	await elira.getByRole('button', { name: sq.check }).click();
	await expect(elira.getByTestId('stv-check-result')).toContainText('Përputhet');
	await shot(elira, 'election-result-sq-desktop');
	await expectAccessible(elira);

	await phones[0].goto(path);
	await expect(phones[0].getByTestId('stv-stages')).toBeVisible();
	await shot(phones[0], 'election-result-sq-phone');

	// The same count, in English and Greek, for visitors (the election is public), on a desktop and a phone.
	for (const locale of ['en', 'el'] as const) {
		for (const [size, viewport] of [
			['desktop', DESKTOP],
			['phone', PHONE]
		] as const) {
			const page = await visitor(browser, locale, viewport);
			await page.goto(path);
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expect(page.getByTestId('stv-stages')).toBeVisible();
			await page.getByTestId('stv-check').getByRole('button').click();
			await expect(page.getByTestId('stv-check-result')).toContainText(locale === 'en' ? 'It matches' : 'Ταιριάζει');
			await shot(page, `election-result-${locale}-${size}`);
			await page.context().close();
		}
	}
});
