import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, SEEDED_LANGUAGE, screenshot, selectWord, signInReading, expect, test } from './helpers.js';

// Issue #19 point 5. Each member reads their seeded language (src/lib/i18n/messages/{sq,en,el}.json), set here
// whatever an earlier spec left stored: Arben (member1, Albanian) facilitates the Vlora cluster and writes its
// draft; Gentian (member5, English) and Dimitra (member4, Greek) are not in that cluster, so they may suggest but not
// edit.
const sq = {
	title: 'Titulli',
	belongsTo: 'Kush e shkruan',
	create: 'Fillo projektin',
	text: 'Teksti i projektit',
	acceptAll: 'Prano të gjitha të Gentian Dervishi',
	reject: 'Refuzo',
	adds: 'Gentian Dervishi shton',
	removes: 'Gentian Dervishi heq',
	freeze: 'Ngrije për votim',
	freezeAsked: '2 sugjerime presin ende shqyrtim: versioni i ngrirë e merr tekstin pa to. Pranojini ose refuzojini më parë, ose ngrijeni kështu; kjo regjistrohet me versionin.',
	freezeAnyway: 'Ngrije gjithsesi'
};
const en = { text: 'Text of the draft', hint: 'What you type or delete shows in colour' };
const el = { text: 'Κείμενο του σχεδίου', adds: 'Gentian Dervishi προσθέτει' };

async function member(browser: Browser, email: string, viewport = DESKTOP): Promise<Page> {
	const page = await (await browser.newContext({ viewport })).newPage();
	await signInReading(page, email, SEEDED_LANGUAGE[email]);
	return page;
}
const editor = (page: Page, label: string) => page.getByRole('textbox', { name: label });
const panel = (page: Page) => page.getByTestId('suggestions');
/** The words of the text, without carets or the suggesters' name labels. */
const words = (page: Page, label: string) => () =>
	editor(page, label)
		.locator('p')
		.first()
		.evaluate((p) => {
			const copy = p.cloneNode(true) as HTMLElement;
			copy.querySelectorAll('.collaboration-carets__caret, .suggestion-by').forEach((c) => c.remove());
			return copy.textContent ?? '';
		});

async function shots(page: Page, name: string): Promise<void> {
	await page.setViewportSize(DESKTOP);
	await screenshot(page, `${name}-desktop`);
	await page.setViewportSize(PHONE);
	await panel(page).scrollIntoViewIfNeeded();
	await screenshot(page, `${name}-phone`);
}

test('a member outside the group suggests; the steward sees it, accepts all of it, undoes, rejects', async ({ browser }) => {
	// Two browsers and a dozen steps: about 22 s on a quiet machine, more beside the other shard.
	test.setTimeout(60_000);
	const arben = await member(browser, 'member1@demo.test');
	const gentian = await member(browser, 'member5@demo.test', PHONE);

	await arben.goto('/drafts/new');
	await arben.getByLabel(sq.title, { exact: true }).fill('Festivali i filmit në Vlorë');
	await arben.getByLabel(sq.belongsTo).selectOption('klasteri-vlore');
	await arben.getByRole('button', { name: sq.create }).click();
	await arben.waitForURL(/\/drafts\/\d+$/);
	await expect(arben.locator('[data-synced="yes"]')).toBeVisible();
	await editor(arben, sq.text).click();
	await arben.keyboard.type('Festivali hapet në qershor në kalanë e Kaninës.');

	const path = new URL(arben.url()).pathname;
	await gentian.goto(path);
	await expect(gentian.locator('[data-synced="yes"]')).toBeVisible();
	await expect(panel(gentian)).toContainText(en.hint);
	await expect.poll(words(gentian, en.text)).toBe('Festivali hapet në qershor në kalanë e Kaninës.');
	// Replacing a word while suggesting: the old word is marked for removal, the new one for insertion.
	await selectWord(editor(gentian, en.text), 'qershor');
	await gentian.keyboard.type('korrik');
	await expect(gentian.locator('del.suggestion-delete')).toHaveText('qershor');
	await expect(gentian.locator('ins.suggestion-insert')).toHaveText('korrik');

	await expect(panel(arben)).toContainText(sq.removes);
	await expect(panel(arben)).toContainText(sq.adds);
	await expect(arben.locator('.suggestion-by').first()).toHaveText('Gentian Dervishi');
	await shots(gentian, 'suggestions-en');
	await shots(arben, 'suggestions-sq');
	const dimitra = await member(browser, 'member4@demo.test');
	await dimitra.goto(path);
	await expect(panel(dimitra)).toContainText(el.adds);
	await shots(dimitra, 'suggestions-el');
	await arben.setViewportSize(DESKTOP);

	// Freezing now would take the text without them: the steward is asked first, and the draft stays open.
	await arben.getByRole('button', { name: sq.freeze, exact: true }).click();
	await expect(arben.getByTestId('freeze-suggestions')).toHaveText(sq.freezeAsked);
	await expect(arben.getByRole('button', { name: sq.freezeAnyway })).toBeVisible();
	await shots(arben, 'suggestions-freeze-sq');
	await arben.setViewportSize(DESKTOP);
	await expect(arben.getByRole('button', { name: sq.freeze, exact: true })).toBeVisible();

	// Accepting all of Gentian's is one change: the word is replaced; undone at once, both suggestions are back.
	await panel(arben).getByRole('button', { name: sq.acceptAll }).click();
	await expect.poll(words(gentian, en.text)).toBe('Festivali hapet në korrik në kalanë e Kaninës.');
	await expect(gentian.locator('.suggestion')).toHaveCount(0);
	await editor(arben, sq.text).click();
	await arben.keyboard.press('Control+z');
	await expect(panel(arben).getByRole('listitem')).toHaveCount(2);
	await panel(arben).getByRole('button', { name: sq.reject }).first().click();
	await panel(arben).getByRole('button', { name: sq.reject }).first().click();
	await expect.poll(words(dimitra, el.text)).toBe('Festivali hapet në qershor në kalanë e Kaninës.');
	await expect(panel(arben).getByRole('listitem')).toHaveCount(0);
});
