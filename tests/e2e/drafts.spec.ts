import net from 'node:net';
import type { Browser, Locator, Page } from '@playwright/test';
import { colorFor } from '../../src/lib/shared/presence.js';
import { DESKTOP, PHONE, expectAccessible, screenshot, selectWord, expect, test, signInReading } from './helpers.js';

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
	versionName: 'Ruajeni këtë tekst si version:',
	saveVersion: 'Ruaj versionin',
	freeze: 'Ngrije për votim',
	readOnly: 'Po e lexoni këtë tekst; nuk mund ta ndryshoni.',
	table: 'Fut një tabelë',
	tableColumn: 'Shto një kolonë',
	tableDelete: 'Fshi tabelën'
};
const el = { text: 'Κείμενο του σχεδίου', readOnly: 'Διαβάζετε αυτό το κείμενο· δεν μπορείτε να το αλλάξετε.' };

async function member(browser: Browser, email: string, locale: 'sq' | 'el', viewport = DESKTOP): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: 'sq-AL' });
	const page = await context.newPage();
	await signInReading(page, email, locale);
	return page;
}

const editor = (page: Page, label: string) => page.getByRole('textbox', { name: label });
/** The editor's first paragraph (where both type). */
const firstParagraph = (page: Page, label: string) => editor(page, label).locator('p').first();
/** An element's text without the other people's carets (their name labels sit inside the text). */
const withoutCarets = (element: Locator) => () =>
	element.evaluate((e) => {
		const copy = e.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
		return copy.textContent ?? '';
	});
/** The first paragraph's text, without carets. */
const textOf = (page: Page, label: string) => withoutCarets(firstParagraph(page, label));

/** Selects a word in the editor by its text (as a person would by double-clicking it). */
const selectWordIn = (page: Page, label: string, word: string) => selectWord(editor(page, label).getByText(word, { exact: false }).first(), word);

/** Arben starts a draft through the form; Maria opens it; both are connected to its text. Returns its path. */
async function startDraft(arben: Page, maria: Page, title: string): Promise<string> {
	await arben.goto('/drafts/new');
	await arben.getByLabel(sq.title, { exact: true }).fill(title);
	await arben.getByLabel(sq.field).selectOption('cultural-policy');
	await arben.getByRole('button', { name: sq.create }).click();
	await arben.waitForURL(/\/drafts\/\d+$/);
	const path = new URL(arben.url()).pathname;
	await maria.goto(path);
	await expect(arben.locator('[data-synced="yes"]')).toBeVisible();
	await expect(maria.locator('[data-synced="yes"]')).toBeVisible();
	return path;
}

test('two editors co-write a draft live, comment a passage, freeze it, and read the diff', async ({ browser }) => {
	// Two browsers, a freeze, a diff and an accessibility scan: past the default 30 s on a busy machine (seen once).
	test.setTimeout(90_000);
	const arben = await member(browser, 'member1@demo.test', 'sq');
	const maria = await member(browser, 'member2@demo.test', 'el', PHONE);

	const path = await startDraft(arben, maria, 'Apeli për hapësirat e pavarura');

	// Both type into the same paragraph and converge.
	await editor(arben, sq.text).click();
	await arben.keyboard.type('Rrjeti kërkon fonde për hapësirat.');
	await expect.poll(textOf(maria, el.text)).toBe('Rrjeti kërkon fonde për hapësirat.');
	await firstParagraph(maria, el.text).click();
	await maria.keyboard.press('Control+End');
	await maria.keyboard.type(' Menjëherë.');
	// Arben moves once Maria's words have reached him: a key pressed while a remote change is being applied can lose its
	// selection to the one y-prosemirror restores after it (CI once typed "Sot " at the old caret).
	await expect.poll(textOf(arben, sq.text)).toBe('Rrjeti kërkon fonde për hapësirat. Menjëherë.');
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
	await selectWordIn(arben, sq.text, 'fonde');
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
	await selectWordIn(arben, sq.text, 'Menjëherë');
	await arben.keyboard.type('Brenda vitit');
	await expect.poll(textOf(maria, el.text)).toContain('Brenda vitit');
	// Arben restores version 1 and Maria's open editor follows at once; he then makes the change again.
	await arben.goto(`${path}/versions?v=1`);
	await arben.getByRole('button', { name: 'Rikthe këtë version' }).click();
	await expect(arben.getByText('Teksti u kthye te versioni 1.')).toBeVisible();
	await expect.poll(textOf(maria, el.text)).not.toContain('Brenda vitit');
	await arben.goto(path);
	await expect(arben.locator('[data-synced="yes"]')).toBeVisible();
	await selectWordIn(arben, sq.text, 'Menjëherë');
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

// Tables are drawn from the first paint, and edited with code loaded once the text is focused or a table tool is used
// (src/lib/drafts/table-node.ts): Tab goes from cell to cell and past the last into a new row, as TipTap's Table did.
test('a table from the toolbar: Tab from cell to cell and into a new row, a column added, live for the other editor', async ({ browser }) => {
	const arben = await member(browser, 'member1@demo.test', 'sq');
	const maria = await member(browser, 'member2@demo.test', 'el', PHONE);
	await startDraft(arben, maria, 'Buxheti i festivaleve');

	await editor(arben, sq.text).click();
	await arben.getByRole('button', { name: sq.table }).click();
	const cells = ['Programi', 'Sot', 'Propozimi', 'Festivalet', '12%', '20%', 'Rezidencat', '3%', '10%'];
	for (const [i, text] of cells.entries()) {
		if (i) await arben.keyboard.press('Tab');
		await arben.keyboard.type(text);
	}
	await arben.keyboard.press('Tab');
	await arben.keyboard.type('Gjithsej');
	const table = (page: Page, label: string) => editor(page, label).locator('table');
	await expect(table(maria, el.text).locator('th')).toHaveText(cells.slice(0, 3));
	await expect.poll(withoutCarets(table(maria, el.text).locator('tr').last().locator('td').first())).toBe('Gjithsej');

	await arben.getByRole('button', { name: sq.tableColumn }).click();
	await expect(table(maria, el.text).locator('tr')).toHaveCount(4);
	await expect(table(maria, el.text).locator('tr').first().locator('th')).toHaveCount(4);
	await arben.getByRole('button', { name: sq.tableDelete }).click();
	await expect(table(maria, el.text)).toHaveCount(0);
	await expect(table(arben, sq.text)).toHaveCount(0);
});

/** A member's id, from the link to their profile in the directory. */
async function memberId(page: Page, name: string): Promise<number> {
	const html = await (await page.request.get(`/members?q=${encodeURIComponent(name)}`)).text();
	return Number(html.match(new RegExp(`/members/(\\d+)">${name}<`))?.[1]);
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/**
 * Gives the drafts' pages a `textNodes(paragraph)`: its text without other people's carets (their labels are text
 * too), so that an offset means the same letter on every screen.
 */
async function withTextNodes(page: Page): Promise<void> {
	await page.evaluate(() => {
		(window as unknown as { textNodes: (p: Element) => Text[] }).textNodes = (p) => {
			const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
				acceptNode: (n) => (n.parentElement?.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)
			});
			const texts: Text[] = [];
			for (let t = walker.nextNode(); t; t = walker.nextNode()) texts.push(t as Text);
			return texts;
		};
	});
}
declare function textNodes(p: Element): Text[];

// Issue #17 point 1. Before carets.ts's fitLabels, Arben's label ran from his caret at the end of Maria's first line
// to x = 398 px on her 375 px phone and the label check below failed (seen). The colour checks are what the hsl()
// palette of before #14 would fail (reasoned, not run): the caret extension draws any colour but #rrggbb transparent.
test('co-editors see each other’s caret in their own colour with their name, and a label never widens a phone page', async ({ browser }) => {
	const arben = await member(browser, 'member1@demo.test', 'sq');
	const maria = await member(browser, 'member2@demo.test', 'el', PHONE);
	const [arbenId, mariaId] = [await memberId(arben, 'Arben Krasniqi'), await memberId(arben, 'Maria Georgiou')];
	expect(arbenId).toBeGreaterThan(0);
	await startDraft(arben, maria, 'Karetat e bashkëautorëve');

	const sentence = 'Rrjeti kërkon që bashkitë të hapin sallat e tyre për grupet e pavarura të teatrit dhe muzikës.';
	await editor(arben, sq.text).click();
	await arben.keyboard.type(sentence);
	await expect.poll(textOf(maria, el.text)).toBe(sentence);
	await firstParagraph(maria, el.text).click();
	await withTextNodes(maria);
	await withTextNodes(arben);

	// Where the first line ends on Maria's phone: the last letter whose box is on the first line.
	const offset = await firstParagraph(maria, el.text).evaluate((p) => {
		const texts = textNodes(p);
		const range = document.createRange();
		let top: number | null = null;
		let last = 0;
		let at = 0;
		for (const t of texts) {
			for (let i = 0; i < t.length; i++, at++) {
				range.setStart(t, i);
				range.setEnd(t, i + 1);
				const box = range.getBoundingClientRect();
				top ??= box.top;
				if (Math.abs(box.top - top) < 2 && t.data[i] !== ' ') last = at;
			}
		}
		return last;
	});
	// Arben puts his caret just before that letter: on Maria's phone it sits at the right edge of her text.
	await firstParagraph(arben, sq.text).evaluate((p, offset) => {
		let left = offset;
		for (const t of textNodes(p)) {
			if (left < t.length) return window.getSelection()!.collapse(t, left);
			left -= t.length;
		}
	}, offset);

	const label = maria.locator('.collaboration-carets__label', { hasText: 'Arben' });
	await expect(label).toBeVisible();
	const caret = maria.locator('.collaboration-carets__caret', { has: label });
	await expect(caret).toHaveCSS('border-left-color', rgb(colorFor(arbenId)));
	await expect(label).toHaveCSS('background-color', rgb(colorFor(arbenId)));
	// The caret is where Arben put it: at the end of Maria's first line, in the right quarter of her text.
	const text = (await editor(maria, el.text).boundingBox())!;
	const caretBox = (await caret.boundingBox())!;
	expect(text.x + text.width - caretBox.x).toBeLessThan(text.width / 4);
	// The label stays on the phone's screen, and the page is not wider than the phone.
	const labelBox = (await label.boundingBox())!;
	expect(labelBox.x).toBeGreaterThanOrEqual(0);
	expect(labelBox.x + labelBox.width).toBeLessThanOrEqual(PHONE.width);
	expect(await maria.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
	await screenshot(maria, 'draft-carets-phone');

	// Arben sees Maria's caret in her colour with her name.
	const hers = arben.locator('.collaboration-carets__label', { hasText: 'Maria' });
	await expect(hers).toBeVisible();
	await expect(hers).toHaveCSS('background-color', rgb(colorFor(mariaId)));
	await screenshot(arben, 'draft-carets-desktop');
});

/**
 * A loopback proxy to the test server that holds back every /yjs upgrade for a while: the page's text socket stays
 * in CONNECTING as long as a slow network would keep it. Cookies do not depend on the port, so the session holds;
 * the Origin of an upgrade is written back to the server's own, which is the only one its sockets accept.
 */
async function slowTextProxy(target: URL, holdMs: number): Promise<{ origin: string; close: () => void }> {
	let port = 0;
	const server = net.createServer((client) => {
		client.once('data', (first) => {
			const upstream = net.connect(Number(target.port), target.hostname);
			const own = `http://localhost:${port}`;
			const pass = () => {
				upstream.write(first.toString('latin1').replaceAll(own, target.origin), 'latin1');
				client.pipe(upstream).pipe(client);
			};
			client.on('error', () => upstream.destroy());
			upstream.on('error', () => client.destroy());
			if (first.toString('latin1').startsWith('GET /yjs/')) setTimeout(pass, holdMs);
			else pass();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as net.AddressInfo).port;
	return { origin: `http://localhost:${port}`, close: () => server.close() };
}

// Leaving a draft while its text was still connecting tore the socket down mid-handshake, and Chromium printed
// "WebSocket is closed before the connection is established" (a CI run failed on it when a freeze re-created the
// editor at the wrong moment). The proxy holds the handshake open so the test steps into that window every time:
// without PatientSocket in src/lib/drafts/collab.ts it fails on the console guard.
test('leaving a draft before its text has connected prints nothing', async ({ browser }) => {
	const arben = await member(browser, 'member1@demo.test', 'sq');
	const proxy = await slowTextProxy(new URL(arben.url()), 1500);
	try {
		await arben.goto(`${proxy.origin}/drafts`);
		await arben.locator('main a[href^="/drafts/"]:not(.feed-link)').filter({ hasNotText: sq.newDraft }).first().click();
		await expect(arben.locator('[data-synced="no"]')).toBeVisible();
		await arben.goBack();
		await expect(arben).toHaveURL(/\/drafts$/);
		// Long enough for the held handshake to finish and any late warning to be printed.
		await arben.waitForTimeout(2500);
	} finally {
		await arben.context().close();
		proxy.close();
	}
});
