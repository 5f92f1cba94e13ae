import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, screenshot, selectWord, signIn, expect, test } from './helpers.js';

// Arben (member1) writes in Albanian, Maria (member2) translates into Greek, Emma (member5) reads in English:
// each in their own seeded language, so no member's settings change. Labels from src/lib/i18n/messages/*.json.
const sq = { text: 'Teksti i projektit', addGreek: 'Shto një përkthim në greqisht', freeze: 'Ngrije për votim', freezeAnyway: 'Ngrije me përkthime për t’u përditësuar' };
const el = { commentOnSelection: 'Σχόλιο στην επιλογή', comment: 'Το σχόλιό σας', send: 'Σχόλιο', confirm: 'Επιβεβαίωση', showSource: 'Εμφάνιση πρωτοτύπου', outdated: 'Το πρωτότυπο άλλαξε από τότε που επιβεβαιώθηκε:' };

async function member(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
	await signIn(page, email);
	return page;
}

/** A new draft of the group-less theatre field, its text typed paragraph by paragraph in the editor; its id. */
async function draftWith(page: Page, title: string, paragraphs: string[]): Promise<number> {
	const created = await page.request.post('/drafts/new', {
		form: { title, summary: '', group: '', field: 'theatre', visibility: 'members' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' },
		maxRedirects: 0
	});
	const id = Number(created.headers()['location']?.split('/').pop());
	expect(id).toBeGreaterThan(0);
	await page.goto(`/drafts/${id}`);
	await page.getByRole('textbox', { name: sq.text }).click();
	for (const [n, words] of paragraphs.entries()) {
		if (n) await page.keyboard.press('Enter');
		await page.keyboard.insertText(words);
	}
	return id;
}

const source = (page: Page) => page.locator('.lng-source-column .ProseMirror');
const translation = (page: Page) => page.locator('.lng-translation-column .ProseMirror');
/** A top-level paragraph's text, without other people's carets. */
const paragraphText = (page: Page, column: '.lng-source-column' | '.lng-translation-column', n: number) =>
	page.locator(`${column} .ProseMirror > p`).nth(n).evaluate((p) => {
		const copy = p.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
		return copy.textContent ?? '';
	});

test('an Albanian and a Greek editor on one draft, side by side: live, stale paragraphs, freezing in both languages', async ({ browser }) => {
	// About 25 s on a quiet machine; three people in three browsers take longer when the machine is busy.
	test.setTimeout(60_000);
	const arben = await member(browser, 'member1@demo.test');
	const id = await draftWith(arben, 'Thirrje e përbashkët për rezidenca', ['Rrjeti hap një thirrje për rezidenca artistike.', 'Aplikimet mbyllen në fund të muajit.']);
	await arben.getByRole('button', { name: sq.addGreek }).click();
	await arben.waitForURL(`**/drafts/${id}/languages/el`);
	// The translation starts as a copy of the original, paragraph by paragraph, none confirmed yet.
	await expect.poll(() => paragraphText(arben, '.lng-translation-column', 1)).toBe('Aplikimet mbyllen në fund të muajit.');

	const maria = await member(browser, 'member2@demo.test');
	await maria.goto(`/drafts/${id}/languages/el`);
	await expect(maria.getByTestId('lng-count-el')).toContainText('2 παράγραφοι προς ενημέρωση στα ελληνικά');
	const greek = ['Το δίκτυο ανοίγει πρόσκληση για καλλιτεχνικές φιλοξενίες.', 'Οι αιτήσεις κλείνουν στο τέλος του μήνα.'];
	for (const [n, words] of greek.entries()) {
		await translation(maria).locator('> p').nth(n).click();
		await maria.keyboard.press('End');
		await maria.keyboard.press('Shift+Home');
		await maria.keyboard.insertText(words);
	}
	// Arben sees the Greek arrive beside his Albanian, paragraph against paragraph.
	await expect.poll(() => paragraphText(arben, '.lng-translation-column', 1)).toBe(greek[1]);
	const level = async (page: Page, n: number) => {
		const [a, b] = await Promise.all([source(page).locator('> p').nth(n).boundingBox(), translation(page).locator('> p').nth(n).boundingBox()]);
		return Math.abs(a!.y - b!.y);
	};
	const unconfirmed = maria.locator('.lng-translation-column .lng-row.lng-unconfirmed');
	for (const left of [1, 0]) {
		await unconfirmed.first().locator('.lng-confirm').click();
		await expect(unconfirmed).toHaveCount(left);
	}
	await expect(maria.getByTestId('lng-count-el')).toContainText('Ενημερωμένο στα ελληνικά');
	await expect.poll(() => level(arben, 1)).toBeLessThan(2);

	// Arben changes his second paragraph: Maria's Greek paragraph shows as outdated, with the change word by word.
	await source(arben).locator('> p').nth(1).click();
	await arben.keyboard.press('End');
	await arben.keyboard.press('Backspace');
	await arben.keyboard.insertText(' korrikut.');
	const stale = translation(maria).locator('.lng-row.lng-outdated');
	await expect(stale).toContainText(el.outdated);
	await expect(stale.locator('ins')).toContainText('korrikut');
	await expect(maria.getByTestId('lng-count-el')).toContainText('1 παράγραφος προς ενημέρωση στα ελληνικά');
	await expect.poll(() => level(maria, 1)).toBeLessThan(2);
	await screenshot(maria, 'translations-side-by-side-el-desktop');
	await screenshot(arben, 'translations-side-by-side-sq-desktop');
	const emma = await member(browser, 'member5@demo.test');
	await emma.goto(`/drafts/${id}/languages/el`);
	await expect(emma.getByTestId('lng-count-el')).toContainText('1 paragraph to update in Greek');
	await screenshot(emma, 'translations-side-by-side-en-desktop');

	// On a phone the original gives way to a toggle per paragraph.
	for (const page of [maria, arben, emma]) await page.setViewportSize(PHONE);
	await expect(source(maria)).toBeHidden();
	await maria.getByRole('button', { name: el.showSource }).first().click();
	await expect(translation(maria).locator('.lng-source').first()).toBeVisible();
	await screenshot(maria, 'translations-stale-el-phone');
	await screenshot(arben, 'translations-stale-sq-phone');
	await screenshot(emma, 'translations-stale-en-phone');
	await arben.setViewportSize(DESKTOP);

	// Freezing is refused while Greek has a paragraph to update, until Arben says to freeze anyway.
	await arben.getByRole('button', { name: sq.freeze }).click();
	await arben.getByRole('button', { name: sq.freezeAnyway }).click();
	await expect(arben.locator('.lng-translation-column [contenteditable="false"].ProseMirror')).toBeVisible();
	for (const page of [arben, maria, emma]) await page.context().close();
});

test('a comment on Greek words of the translation: kept in that text, live beside it, and a link to it from the original', async ({ browser }) => {
	test.setTimeout(60_000);
	const arben = await member(browser, 'member1@demo.test');
	const id = await draftWith(arben, 'Rezidencat e verës', ['Rrjeti hap një thirrje për rezidenca artistike.']);
	await arben.getByRole('button', { name: sq.addGreek }).click();
	await arben.waitForURL(`**/drafts/${id}/languages/el`);

	// Maria writes the Greek, then comments on a Greek word of it.
	const maria = await member(browser, 'member2@demo.test');
	await maria.goto(`/drafts/${id}/languages/el`);
	await translation(maria).locator('> p').first().click();
	await maria.keyboard.press('End');
	await maria.keyboard.press('Shift+Home');
	await maria.keyboard.insertText('Το δίκτυο ανοίγει πρόσκληση για καλλιτεχνικές φιλοξενίες.');
	await selectWord(translation(maria), 'φιλοξενίες');
	await maria.getByRole('button', { name: el.commentOnSelection }).click();
	await maria.getByLabel(el.comment).fill('Ίσως «διαμονές»;');
	await maria.getByRole('button', { name: el.send, exact: true }).click();
	// Marked in the Greek text, for her and live for Arben beside his Albanian; never in the original.
	for (const page of [maria, arben]) {
		await expect(page.locator('.lng-translation-column .comment-mark')).toHaveText('φιλοξενίες');
		await expect(page.locator('.lng-source-column .comment-mark')).toHaveCount(0);
	}
	await screenshot(maria, 'translation-comment-el-desktop');
	await screenshot(arben, 'translation-comment-sq-desktop');

	// Emma reads the original in English: the comment says which text it is on and leads there.
	const emma = await member(browser, 'member5@demo.test');
	await emma.goto(`/drafts/${id}`);
	const onGreek = emma.locator('li[data-lang="el"]');
	await expect(onGreek).toContainText('Ίσως «διαμονές»;');
	await expect(onGreek.locator('a.quote-link')).toHaveAttribute('lang', 'el');
	await screenshot(emma, 'translation-comment-en-desktop');
	await onGreek.locator('a.quote-link').click();
	await emma.waitForURL(`**/drafts/${id}/languages/el`);
	await expect(emma.locator('.lng-translation-column .comment-mark')).toHaveText('φιλοξενίες');
	for (const page of [arben, maria, emma]) await page.context().close();
});
