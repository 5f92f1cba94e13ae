import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, expectAccessible, screenshot, signIn, expect, test } from './helpers.js';

// Labels from src/lib/i18n/messages/{sq,el}.json: Arben (member1) writes in Albanian on a desktop, Maria
// (member2) in Greek on a phone.
const sq = {
	newDraft: 'Projekt i ri',
	title: 'Titulli',
	field: 'Fusha e veprimit',
	create: 'Fillo projektin',
	text: 'Teksti i projektit',
	commentOnSelection: 'Komento përzgjedhjen',
	comment: 'Komenti juaj',
	send: 'Komento',
	versionName: 'Ruaje këtë tekst si version:',
	saveVersion: 'Ruaj versionin',
	freeze: 'Ngrije për votim',
	readOnly: 'Po e lexoni këtë tekst; nuk mund ta ndryshoni.'
};
const el = { text: 'Κείμενο του σχεδίου', readOnly: 'Διαβάζετε αυτό το κείμενο· δεν μπορείτε να το αλλάξετε.' };

async function member(browser: Browser, email: string, locale: 'sq' | 'el', viewport = DESKTOP): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: 'sq-AL' });
	const page = await context.newPage();
	await signIn(page, email);
	const res = await page.request.post('/language', { form: { locale, redirectTo: '/drafts' }, headers: { origin: new URL(page.url()).origin } });
	expect(res.ok()).toBe(true);
	return page;
}

const editor = (page: Page, label: string) => page.getByRole('textbox', { name: label });
/** The editor's first paragraph (where both type). */
const firstParagraph = (page: Page, label: string) => editor(page, label).locator('p').first();
/** Its text without the other people's carets (their name labels sit inside the text). */
const textOf = (page: Page, label: string) => () =>
	firstParagraph(page, label).evaluate((p) => {
		const copy = p.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
		return copy.textContent ?? '';
	});

/** Selects a word in the editor by its text (as a person would by double-clicking it). */
async function selectWord(page: Page, label: string, word: string): Promise<void> {
	await editor(page, label).getByText(word, { exact: false }).first().evaluate((node, w) => {
		const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
		for (let t = walker.nextNode(); t; t = walker.nextNode()) {
			const at = (t.textContent ?? '').indexOf(w);
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(t, at);
			range.setEnd(t, at + w.length);
			const selection = window.getSelection()!;
			selection.removeAllRanges();
			selection.addRange(range);
			return;
		}
	}, word);
}

test('two editors co-write a draft live, comment a passage, freeze it, and read the diff', async ({ browser }) => {
	const arben = await member(browser, 'member1@demo.test', 'sq');
	const maria = await member(browser, 'member2@demo.test', 'el', PHONE);

	// Arben starts the draft through the form.
	await arben.goto('/drafts/new');
	await arben.getByLabel(sq.title, { exact: true }).fill('Apeli për hapësirat e pavarura');
	await arben.getByLabel(sq.field).selectOption('cultural-policy');
	await arben.getByRole('button', { name: sq.create }).click();
	await arben.waitForURL(/\/drafts\/\d+$/);
	const path = new URL(arben.url()).pathname;
	await maria.goto(path);
	await expect(arben.locator('[data-synced="yes"]')).toBeVisible();
	await expect(maria.locator('[data-synced="yes"]')).toBeVisible();

	// Both type into the same paragraph and converge.
	await editor(arben, sq.text).click();
	await arben.keyboard.type('Rrjeti kërkon fonde për hapësirat.');
	await expect.poll(textOf(maria, el.text)).toBe('Rrjeti kërkon fonde për hapësirat.');
	await firstParagraph(maria, el.text).click();
	await maria.keyboard.press('Control+End');
	await maria.keyboard.type(' Menjëherë.');
	await arben.keyboard.press('Control+Home');
	await arben.keyboard.type('Sot ');
	const typed = 'Sot Rrjeti kërkon fonde për hapësirat. Menjëherë.';
	await expect.poll(textOf(arben, sq.text)).toBe(typed);
	await expect.poll(textOf(maria, el.text)).toBe(typed);

	// Undo takes back one's own change only: Arben's " Z" goes, Maria's " Y" typed after it stays.
	await arben.waitForTimeout(700); // a new undo step
	await arben.keyboard.press('Control+End');
	await arben.keyboard.type(' Z');
	await expect.poll(textOf(maria, el.text)).toBe(`${typed} Z`);
	await maria.keyboard.press('Control+End');
	await maria.keyboard.type(' Y');
	await expect.poll(textOf(arben, sq.text)).toBe(`${typed} Z Y`);
	await arben.keyboard.press('Control+z');
	const converged = `${typed} Y`;
	await expect.poll(textOf(arben, sq.text)).toBe(converged);
	await expect.poll(textOf(maria, el.text)).toBe(converged);
	// Each sees the other's caret with their name.
	await expect(arben.locator('.collaboration-carets__label', { hasText: 'Maria' })).toBeVisible();
	await expect(maria.locator('.collaboration-carets__label', { hasText: 'Arben' })).toBeVisible();

	// Arben comments on "fonde"; Maria then writes around it, and the comment stays on its word.
	await selectWord(arben, sq.text, 'fonde');
	await arben.getByRole('button', { name: sq.commentOnSelection }).click();
	await arben.getByLabel(sq.comment).fill('Sa fonde, dhe nga kush?');
	await arben.getByRole('button', { name: sq.send, exact: true }).click();
	await expect(arben.locator('.comment-mark')).toHaveText('fonde');
	await expect(maria.locator('.comment-mark')).toHaveText('fonde'); // live for Maria too
	await firstParagraph(maria, el.text).click();
	await maria.keyboard.press('Control+Home');
	await maria.keyboard.type('Që ');
	await expect.poll(textOf(arben, sq.text)).toBe(`Që ${converged}`);
	await expect(arben.locator('.comment-mark')).toHaveText('fonde');
	await expectAccessible(arben);
	await screenshot(arben, 'draft-editor-desktop');
	await screenshot(maria, 'draft-editor-phone');

	// A named version, one more change, then the freeze makes version 2 and both become readers.
	await arben.getByLabel(sq.versionName).fill('Para ndryshimit');
	await arben.getByRole('button', { name: sq.saveVersion }).click();
	await expect(arben.getByText('U ruajt si versioni 1.')).toBeVisible();
	await selectWord(arben, sq.text, 'Menjëherë');
	await arben.keyboard.type('Brenda vitit');
	await expect.poll(textOf(maria, el.text)).toContain('Brenda vitit');
	// Arben restores version 1 and Maria's open editor follows at once; he then makes the change again.
	await arben.goto(`${path}/versions?v=1`);
	await arben.getByRole('button', { name: 'Rikthe këtë version' }).click();
	await expect(arben.getByText('Teksti u kthye te versioni 1.')).toBeVisible();
	await expect.poll(textOf(maria, el.text)).not.toContain('Brenda vitit');
	await arben.goto(path);
	await expect(arben.locator('[data-synced="yes"]')).toBeVisible();
	await selectWord(arben, sq.text, 'Menjëherë');
	await arben.keyboard.type('Brenda vitit');
	await expect.poll(textOf(maria, el.text)).toContain('Brenda vitit');
	await arben.getByRole('button', { name: sq.freeze }).click();
	await expect(arben.getByText(sq.readOnly)).toBeVisible();
	await expect(maria.getByText(el.readOnly)).toBeVisible();
	await expect(editor(maria, el.text)).toHaveAttribute('contenteditable', 'false');
	await firstParagraph(maria, el.text).click();
	await maria.keyboard.type('XYZ');
	await expect.poll(textOf(maria, el.text)).not.toContain('XYZ');

	// The diff between the named version and the frozen one marks the change word by word.
	await arben.goto(`${path}/diff?from=1&to=2`);
	await expect(arben.locator('.diff del')).toContainText('Menjëherë');
	await expect(arben.locator('.diff ins')).toContainText('Brenda vitit');
	await expectAccessible(arben);
	await screenshot(arben, 'draft-diff-desktop');
	await maria.goto(`${path}/diff?from=1&to=2`);
	await screenshot(maria, 'draft-diff-phone');
});
