import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { DESKTOP, expectAccessible, refusedForm, expect, setLanguage, test } from './helpers.js';

// Labels from src/lib/i18n/messages/sq.json: everyone here reads Albanian. Members vote on phones.
const sq = {
	newVote: 'Votim i ri',
	title: 'Pyetja ose titulli',
	options: 'Opsionet',
	ranked: /^Renditje/,
	secret: /^Votim i fshehtë/,
	create: 'Krijo votimin',
	cast: 'Hidh votën',
	yes: 'Po',
	no: 'Jo',
	close: 'Mbyll votimin',
	voter: 'Votuesi',
	found: 'Vota juaj është e theksuar në listë.'
};
const PHONE = { width: 390, height: 844 };
const SHOTS = '/tmp/vote-shots';

/** A full-page screenshot for a person to look at, taken when VOTE_SHOTS=1 (they cost time on every run). */
async function shot(page: Page, name: string): Promise<void> {
	if (!process.env.VOTE_SHOTS) return;
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/**
 * A signed-in member in a browser context of their own, reading Albanian. Signed in and switched to Albanian
 * before any tab is open: an open tab reloads itself when the member's language changes (other specs change it).
 */
async function member(browser: Browser, email: string, viewport = PHONE): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: 'sq-AL' });
	const origin = String(test.info().project.use.baseURL);
	const headers = { origin };
	expect((await context.request.post('/login', { form: { email, password: 'demo-kuvend' }, headers })).ok()).toBe(true);
	expect((await context.request.post('/language', { form: { locale: 'sq', redirectTo: '/votes' }, headers })).ok()).toBe(true);
	const page = await context.newPage();
	await page.goto('/votes');
	await expect(page.locator('html')).toHaveAttribute('lang', 'sq');
	return page;
}

/** Creates and opens a vote through the form; returns its path. */
async function createVote(page: Page, title: string, fill: (page: Page) => Promise<void>): Promise<string> {
	await page.goto('/votes');
	await page.getByRole('link', { name: sq.newVote }).click();
	await page.getByLabel(sq.title, { exact: true }).fill(title);
	await fill(page);
	await page.getByRole('button', { name: sq.create }).click();
	await page.waitForURL(/\/votes\/\d+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	return new URL(page.url()).pathname;
}

const participants = (page: Page) => page.getByTestId('participation');

test('members vote from phones, the coordinator watches live, closes, and receipts check out', async ({ browser }) => {
	// Four browsers and two votes: about 25 s on a quiet machine.
	test.setTimeout(60_000);
	const elira = await member(browser, 'coordinator@demo.test', DESKTOP);
	const ranked = await createVote(elira, 'Ku mbahet festivali i ardhshëm?', async (p) => {
		await p.getByRole('radio', { name: sq.ranked }).check();
		await p.getByLabel(sq.options, { exact: true }).fill('Korçë\nVlorë\nArta');
	});
	const secretPage = await elira.context().newPage();
	const secret = await createVote(secretPage, 'Miratojmë buxhetin e rrjetit?', async (p) => {
		await p.getByRole('checkbox', { name: sq.secret }).check();
	});
	await elira.bringToFront();
	await expect(participants(elira)).toHaveAttribute('data-participants', '0');

	// Three members, three phones; the ranked ballot: selects per option. Then the secret yes/no ballot.
	const voters = await Promise.all(['member1@demo.test', 'member3@demo.test', 'member5@demo.test'].map((e) => member(browser, e)));
	const rankings = [
		['Korçë', 'Arta'],
		['Vlorë', 'Arta'],
		['Arta', 'Vlorë']
	];
	const receipts: string[] = [];
	for (const [i, page] of voters.entries()) {
		await page.goto(ranked);
		for (const [rank, option] of rankings[i].entries()) await page.getByLabel(option, { exact: true }).selectOption(String(rank + 1));
		if (i === 0) await shot(page, 'ballot-ranked-phone');
		await page.getByRole('button', { name: sq.cast }).click();
		await expect(page.getByTestId('receipt')).toBeVisible();
		// The coordinator's page follows without a reload, results included (this vote shows them live).
		await expect(participants(elira)).toHaveAttribute('data-participants', String(i + 1));
		await expect(elira.getByTestId('result')).toBeVisible();

		await page.goto(secret);
		await page.getByRole('radio', { name: i === 2 ? sq.no : sq.yes, exact: true }).check();
		if (i === 0) await shot(page, 'ballot-yes-no-phone');
		await page.getByRole('button', { name: sq.cast }).click();
		const code = (await page.getByTestId('receipt').locator('output').textContent())!.trim();
		expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		receipts.push(code);
		if (i === 0) await shot(page, 'receipt-phone');
	}
	await expect(participants(secretPage)).toHaveAttribute('data-participants', '3');
	// A secret vote shows participation only, and never a name.
	await expect(secretPage.getByTestId('result')).toHaveCount(0);
	await shot(elira, 'ranked-live-desktop');

	// The coordinator closes both; the members' pages turn to the result and the published ballots.
	for (const page of [elira, secretPage]) {
		await page.locator('summary', { hasText: sq.close }).click();
		await page.getByRole('button', { name: sq.close }).click();
		await expect(page.getByTestId('result')).toHaveAttribute('data-outcome', /.+/);
	}
	await expect(elira.getByTestId('result')).toHaveAttribute('data-outcome', 'elected');
	await expect(elira.getByRole('table').first()).toBeVisible();
	await shot(elira, 'ranked-closed-desktop');
	await expect(secretPage.getByTestId('result')).toHaveAttribute('data-outcome', 'passed');
	await expect(secretPage.getByRole('columnheader', { name: sq.voter })).toHaveCount(0);
	for (const name of ['Arben Krasniqi', 'Blerina Shehu', 'Gentian Dervishi']) await expect(secretPage.getByText(name)).toHaveCount(0);
	await shot(secretPage, 'secret-closed-desktop');

	// Blerina finds her receipt: this phone remembered it, the list highlights her row.
	const blerina = voters[1];
	await expect(blerina.getByTestId('result')).toHaveAttribute('data-outcome', 'passed');
	await expect(blerina.getByLabel('Gjej dëftesën time', { exact: true })).toHaveValue(receipts[1]);
	await expect(blerina.locator('tr.mine')).toContainText(receipts[1]);
	await expect(blerina.getByText(sq.found)).toBeVisible();
	await shot(blerina, 'published-phone');
	await expectAccessible(blerina);

	// The vote's decision has its own page (the whole chain); both decisions are in the register.
	await blerina.getByRole('link', { name: 'Lexo vendimin' }).click();
	await expect(blerina).toHaveURL(/\/decisions\/\d+$/);
	await blerina.goto('/decisions');
	await expect(blerina.getByRole('heading', { name: 'Miratojmë buxhetin e rrjetit?' })).toBeVisible();
	await expect(blerina.getByRole('heading', { name: 'Ku mbahet festivali i ardhshëm?' })).toBeVisible();
	await shot(blerina, 'decisions-phone');
});

test('without script, the form action casts and changes a ballot, and a refused form keeps what was typed', async ({ browser, consoleGuard }) => {
	consoleGuard.expect(refusedForm('/votes/new'), 'two options the same: answered 400 with the form again');
	const elira = await member(browser, 'coordinator@demo.test', DESKTOP);
	await elira.goto('/votes/new');
	await elira.getByLabel(sq.title, { exact: true }).fill('Ku e hapim zyrën?');
	await elira.getByRole('radio', { name: /^Një zgjedhje/ }).check();
	await elira.getByLabel(sq.options, { exact: true }).fill('Durrës\ndurrës');
	await elira.getByRole('button', { name: sq.create }).click();
	await expect(elira.getByText('Dy opsione janë njësoj.')).toBeVisible();
	await expect(elira.getByLabel(sq.title, { exact: true })).toHaveValue('Ku e hapim zyrën?');
	await elira.getByLabel(sq.options, { exact: true }).fill('Durrës\nShkodër');
	await elira.getByRole('button', { name: sq.create }).click();
	await elira.waitForURL(/\/votes\/\d+$/);
	const path = new URL(elira.url()).pathname;
	consoleGuard.expect(refusedForm(path), 'a ballot cast with nothing chosen: answered 400 with the page again');

	const context = await browser.newContext({ viewport: PHONE, locale: 'sq-AL', javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login');
	await page.locator('input[name=email]').fill('member3@demo.test');
	await page.locator('input[name=password]').fill('demo-kuvend');
	await page.getByRole('button', { name: 'Hyr', exact: true }).click();
	await page.goto(path);
	await page.getByRole('button', { name: sq.cast }).click();
	await expect(page.getByText('Zgjidhni diçka përpara se të votoni.')).toBeVisible();
	await page.getByRole('radio', { name: 'Shkodër' }).check();
	await page.getByRole('button', { name: sq.cast }).click();
	await expect(page.getByTestId('receipt')).toBeVisible();
	await expect(participants(elira)).toHaveAttribute('data-participants', '1');
	await page.getByRole('link', { name: 'Ndrysho votën' }).click();
	await page.getByRole('radio', { name: 'Durrës' }).check();
	await page.getByRole('button', { name: 'Ruaj votën e ndryshuar' }).click();
	await expect(page.getByText('Zgjedhja juaj: Durrës')).toBeVisible();
	await expect(elira.getByTestId('result').locator('[data-option="1"]')).toContainText('1 votë');
});

// Every other ballot (single, approval, score, consent) cast and closed, each page checked for accessibility; with
// VOTE_SHOTS=1 also screenshots of each for a person to look at.
test('every ballot and result, on a phone and a desktop', async ({ browser, consoleGuard }) => {
	test.setTimeout(90_000);
	consoleGuard.expect(refusedForm('/votes/new'), 'the empty form is sent first: answered 400 with its problems');
	const elira = await member(browser, 'coordinator@demo.test', DESKTOP);
	await elira.goto('/votes/new');
	await elira.getByRole('button', { name: sq.create }).click();
	await shot(elira, 'new-vote-errors-desktop');
	const made: Record<string, string> = {};
	made.single = await createVote(elira, 'Cili qytet pret takimin e pranverës?', async (p) => {
		await p.getByRole('radio', { name: /^Një zgjedhje/ }).check();
		await p.getByLabel(sq.options, { exact: true }).fill('Tiranë\nKorçë\nΆρτα');
	});
	made.approval = await createVote(elira, 'Këshilli koordinues 2027', async (p) => {
		await p.getByRole('radio', { name: /^Miratim/ }).check();
		await p.getByLabel(sq.options, { exact: true }).fill('Elira Hoxha\nNikos Papadopoulos\nSokol Marku\nMaria Georgiou');
		await p.getByLabel('Më së shumti').fill('2');
	});
	made.score = await createVote(elira, 'Sa të rëndësishme janë këto prioritete?', async (p) => {
		await p.getByRole('radio', { name: /^Pikë/ }).check();
		await p.getByLabel(sq.options, { exact: true }).fill('Hapësira të pavarura\nFonde për udhëtime\nArkivi digjital');
	});
	made.consent = await createVote(elira, 'Miratojmë statutin e ri?', async (p) => {
		await p.getByRole('radio', { name: /^Pëlqim/ }).check();
		await p.getByLabel('Përshkrimi', { exact: true }).fill('Statuti i ri u diskutua në tri mbledhje.\nNjë bllokim e ndalon.');
		await p.getByRole('radio', { name: /Përqindje/ }).check();
		// The vote's own quorum (the organisations' chamber has a field of the same name).
		await p.locator('#quorumValue').fill('10');
	});
	await elira.goto('/votes/new');
	await shot(elira, 'new-vote-desktop');
	await expectAccessible(elira);
	const arben = await member(browser, 'member1@demo.test');
	const cast = async (path: string, choose: (p: Page) => Promise<void>, name: string) => {
		await arben.goto(path);
		await choose(arben);
		await shot(arben, `ballot-${name}-phone`);
		await expectAccessible(arben);
		await arben.getByRole('button', { name: sq.cast }).click();
		await expect(arben.getByTestId('receipt')).toBeVisible();
	};
	await cast(made.single, (p) => p.getByRole('radio', { name: 'Korçë' }).check(), 'single');
	await cast(made.approval, async (p) => {
		await p.getByRole('checkbox', { name: 'Sokol Marku' }).check();
		await p.getByRole('checkbox', { name: 'Maria Georgiou' }).check();
	}, 'approval');
	await cast(made.score, async (p) => {
		for (const [i, o] of ['Hapësira të pavarura', 'Fonde për udhëtime', 'Arkivi digjital'].entries()) await p.getByRole('radio', { name: `Pikët për „${o}”: ${5 - i}` }).check();
	}, 'score');
	await arben.goto(made.consent);
	await arben.getByRole('radio', { name: 'Kundërshtoj' }).check();
	await arben.getByRole('button', { name: sq.cast }).click();
	await shot(arben, 'ballot-consent-error-phone');
	await arben.getByLabel('Arsyeja juaj').fill('Neni 4 duhet rishkruar.');
	await arben.getByRole('button', { name: sq.cast }).click();
	await expect(arben.getByTestId('receipt')).toBeVisible();
	await arben.getByRole('link', { name: 'Ndrysho votën' }).click();
	await shot(arben, 'ballot-consent-change-phone');
	for (const [name, path] of Object.entries(made)) {
		await elira.goto(path);
		await elira.locator('summary', { hasText: sq.close }).click();
		await shot(elira, `close-confirm-${name}-desktop`);
		await elira.getByRole('button', { name: sq.close }).click();
		await expect(elira.getByTestId('result')).toHaveAttribute('data-outcome', /.+/);
		await shot(elira, `result-${name}-desktop`);
		await expectAccessible(elira);
	}
	await arben.goto(made.score);
	await shot(arben, 'result-score-phone');
	await elira.goto('/votes');
	await shot(elira, 'list-desktop');
	await arben.goto('/votes');
	await shot(arben, 'list-phone');
	// The open tab hears of the new language and reloads itself.
	const speak = (locale: string) => elira.request.post('/language', { form: { locale, redirectTo: '/votes' }, headers: { origin: new URL(elira.url()).origin } });
	await Promise.all([elira.waitForEvent('load'), speak('el')]);
	try {
		await elira.goto(made.approval);
		await shot(elira, 'result-approval-greek-desktop');
		await elira.goto('/decisions');
		await shot(elira, 'decisions-greek-desktop');
		await expectAccessible(elira);
	} finally {
		// The coordinator reads Albanian in every other spec (the webhooks spec after this one read Greek).
		await setLanguage(elira.context(), 'sq');
	}
});
