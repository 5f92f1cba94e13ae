import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { PHONE, expectAccessible, restoreSeededLanguages, screenshot, signInReading, expect, test } from './helpers.js';

// Members switched to Albanian here get their seeded languages back (the next spec expects them).
test.afterAll(({ browser }) => restoreSeededLanguages(browser));

// Issue #17, points 10 and 11, on a 375 px phone in the language where each was found (Albanian), then English and
// Greek for the screenshots. Labels from src/lib/i18n/messages/{sq,en,el}.json.
type Locale = 'sq' | 'en' | 'el';
const labels = {
	sq: { json: 'Shkarko si JSON', html: 'Shkarko si HTML', title: 'Të dhënat tuaja', posts: 'Postimet', ballots: 'Votat në votimet e hapura' },
	en: { json: 'Download as JSON', html: 'Download as HTML', title: 'Your data at', posts: 'Posts', ballots: 'Ballots in open votes' },
	el: { json: 'Λήψη ως JSON', html: 'Λήψη ως HTML', title: 'Τα δεδομένα σας', posts: 'Αναρτήσεις', ballots: 'Ψήφοι σε φανερές ψηφοφορίες' }
};
const sq = { start: 'Fillo mbledhjen', notStarted: 'Mbledhja nuk ka filluar ende' };
const LAW = 'Qëndrimi i rrjetit për ligjin e ri të kulturës';

/** A signed-in member on a phone, reading `locale`; `javaScriptEnabled: false` for a phone without it. */
async function member(browser: Browser, email: string, locale: Locale, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
	const context = await browser.newContext({ viewport: PHONE, locale: 'sq-AL', ...opts });
	const page = await context.newPage();
	if (opts.javaScriptEnabled === false) {
		// Without JavaScript the language menu shows its own submit button: the sign-in form's is the one named "Hyr".
		await page.goto('/login');
		await page.locator('input[name=email]').fill(email);
		await page.locator('input[name=password]').fill('demo-kuvend');
		await page.getByRole('button', { name: 'Hyr', exact: true }).click();
		await page.waitForURL('**/forum');
		// No script, no socket: nothing reloads the tab when the language changes.
		const res = await page.request.post('/language', { form: { locale, redirectTo: '/forum' }, headers: { origin: new URL(page.url()).origin } });
		expect(res.ok()).toBe(true);
	} else await signInReading(page, email, locale);
	return page;
}

/** Clicks a download link and returns the file's text. */
async function download(page: Page, name: string): Promise<{ text: string; file: string }> {
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).click()]);
	// Kept under the name the server gave it, so the browser opens it as what it is.
	const path = `${await file.path()}-${file.suggestedFilename()}`;
	await file.saveAs(path);
	return { text: fs.readFileSync(path, 'utf8'), file: path };
}

test('a member downloads their data as JSON and as a page to read, in their language', async ({ browser }) => {
	test.setTimeout(90_000);
	for (const locale of ['sq', 'en', 'el'] as const) {
		const page = await member(browser, 'member1@demo.test', locale);
		await page.goto('/settings/data');
		if (locale === 'sq') await expectAccessible(page);
		await screenshot(page, `my-data-settings-${locale}`);

		const json = JSON.parse((await download(page, labels[locale].json)).text);
		expect(json.account.email).toBe('member1@demo.test');
		// Arben's demo comment on the culture law is his; Maria's on the same draft is not.
		expect(json.draftComments.map((c: { body: string }) => c.body)).toContain('Të shtojmë edhe bashkitë, jo vetëm ministrinë.');
		expect(JSON.stringify(json)).not.toContain('A kemi të dhëna për 30%?');
		expect(json.posts.length).toBeGreaterThan(0);

		const { text: html, file } = await download(page, labels[locale].html);
		expect(html).toContain(`<html lang="${locale}">`);
		expect(html).not.toMatch(/<script/i);
		// The file reads by itself, offline, on the phone: no script, its one style allowed by its hash.
		const reader = await page.context().newPage();
		await reader.goto(`file://${file}`);
		await expect(reader.getByRole('heading', { level: 1 })).toContainText(labels[locale].title);
		await expect(reader.getByRole('heading', { name: labels[locale].posts, exact: true })).toBeVisible();
		await expect(reader.getByRole('heading', { name: labels[locale].ballots, exact: true })).toBeVisible();
		expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		if (locale === 'sq') await expectAccessible(reader);
		await screenshot(reader, `my-data-export-html-${locale}`);
		await page.context().close();
	}
});

test('a draft reads without JavaScript, and with it the live editor takes the same place', async ({ browser, consoleGuard }) => {
	void consoleGuard;
	const reader = await member(browser, 'member4@demo.test', 'sq', { javaScriptEnabled: false });
	await reader.goto('/drafts');
	await reader.getByRole('link', { name: LAW }).first().click();
	const text = reader.getByTestId('draft-server-text');
	await expect(text).toBeVisible();
	await expect(text.getByRole('heading', { name: 'Parimet' })).toBeVisible();
	await expect(text).toContainText('Kritere të hapura dhe juri të pavarura.');
	await expect(text.locator('table')).toContainText('Rezidencat');
	// Nothing it cannot know: no "connecting" for a page that connects to nothing, no comment's passage "deleted"
	// because no editor has looked for it (both were shown before).
	await expect(reader.getByText('Po lidhet')).toHaveCount(0);
	await expect(reader.getByText('Pjesa është fshirë.')).toHaveCount(0);
	expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	await screenshot(reader, 'draft-without-javascript-sq');
	const url = reader.url();

	// With JavaScript: the same text from the start, then the editor in its place once the document has arrived.
	const live = await member(browser, 'member4@demo.test', 'sq');
	await live.goto(url);
	await expect(live.getByText('Kritere të hapura dhe juri të pavarura.').first()).toBeVisible();
	await expect(live.locator('.ProseMirror')).toContainText('Kritere të hapura dhe juri të pavarura.');
	await expect(live.getByTestId('draft-server-text')).toHaveCount(0);
	await expect(live.locator('.ProseMirror h2', { hasText: 'Parimet' })).toBeVisible();
	await screenshot(live, 'draft-with-javascript-sq');

	// A visitor without JavaScript reads the public draft too.
	const visitorContext = await browser.newContext({ viewport: PHONE, locale: 'en-GB', javaScriptEnabled: false });
	const visitor = await visitorContext.newPage();
	await visitor.goto(url);
	await expect(visitor.getByTestId('draft-server-text')).toContainText('Propozojmë që të paktën 30%');
	await screenshot(visitor, 'draft-without-javascript-visitor-en');
	for (const page of [reader, live, visitor]) await page.context().close();
});

/** Calls a network meeting through the new-meeting form; its id. */
async function callMeeting(page: Page, title: string, visibility: 'public' | 'members'): Promise<number> {
	const day = new Date(Date.now() + 3600_000).toISOString().slice(0, 10);
	const res = await page.request.post('/meetings/new', {
		form: {
			title,
			description: '',
			startsAt: `${day}T18:00`,
			endsAt: `${day}T20:00`,
			place: 'Qendra Kulturore, Vlorë',
			onlineUrl: '',
			body: 'network',
			visibility,
			quorumKind: 'none',
			quorumValue: '',
			agenda: 'Hapja\nProgrami i verës'
		},
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' }
	});
	const body = (await res.json()) as { type: string; location?: string };
	expect(body.type, JSON.stringify(body)).toBe('redirect');
	return Number(/\/meetings\/(\d+)/.exec(body.location ?? '')![1]);
}

test("visitors follow a public meeting's projector live; a members' meeting's stays closed to them", async ({ browser }) => {
	test.setTimeout(60_000);
	const chair = await member(browser, 'coordinator@demo.test', 'sq');
	const open = await callMeeting(chair, 'Asambleja e hapur e verës', 'public');
	const closed = await callMeeting(chair, 'Mbledhja e brendshme', 'members');

	const walls: Page[] = [];
	for (const locale of ['sq-AL', 'en-GB', 'el-GR']) {
		const context = await browser.newContext({ viewport: PHONE, locale });
		const wall = await context.newPage();
		await wall.goto(`/meetings/${open}/projector`);
		await expect(wall.getByTestId('projector')).toHaveAttribute('data-status', 'scheduled');
		walls.push(wall);
	}
	await expect(walls[0].getByText(sq.notStarted)).toBeVisible();

	await chair.goto(`/meetings/${open}/live`);
	// The chair's room is connected (the chair shows as here) before the chair starts; the walls, which follow
	// without being shown, are not in the list.
	await expect(chair.getByTestId('people').locator('li')).toHaveCount(1);
	await chair.getByRole('button', { name: sq.start }).click();
	for (const wall of walls) {
		await expect(wall.getByTestId('projector')).toHaveAttribute('data-status', 'live');
		await expect(wall.getByTestId('projector-item')).toContainText('Hapja');
		expect(await wall.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	}
	await expectAccessible(walls[0]);
	for (const [i, locale] of (['sq', 'en', 'el'] as const).entries()) await screenshot(walls[i], `projector-visitor-${locale}`);

	// The members' meeting: the visitor is asked to sign in, and sees nothing of it.
	await walls[0].goto(`/meetings/${closed}/projector`);
	await expect(walls[0]).toHaveURL(/\/login/);
	await expect(walls[0].getByText('Mbledhja e brendshme')).toHaveCount(0);
	for (const page of [chair, ...walls]) await page.context().close();
});
