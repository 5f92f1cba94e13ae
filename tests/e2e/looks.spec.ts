import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIResponse, Page } from '@playwright/test';
import { PRESENCE_COLORS } from '../../src/lib/shared/presence.js';
import { DESKTOP, PHONE, expect, expectAccessible, screenshot, setLanguage, signIn, test, signInReading } from './helpers.js';

// Issue #17 point 11 (found on a 375 px phone): Kuvend installs as an app, and follows the system's dark mode with the
// same contrast as the light one. Point 12: axe checks in dark mode too, on the main pages, in all three languages.

/** The width and height a PNG says it has (its IHDR chunk), after checking that the bytes are a PNG at all. */
function pngSize(bytes: Buffer): { width: number; height: number } {
	expect(bytes.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
	expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function expectPng(res: APIResponse, size: number): Promise<void> {
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('image/png');
	expect(pngSize(await res.body())).toEqual({ width: size, height: size });
}

test.describe('installable', () => {
	test.use({ viewport: PHONE });

	test('the manifest names the network in the page language and icons that exist; Chromium finds nothing missing to install', async ({ page, playwright }) => {
		await page.goto('/');
		const href = await page.locator('link[rel=manifest]').getAttribute('href');
		expect(href).toBe('/manifest.webmanifest?lang=sq');
		const res = await page.request.get(href!);
		expect(res.status()).toBe(200);
		expect(res.headers()['content-type']).toMatch(/^application\/manifest\+json\b/);
		const manifest = JSON.parse(await res.text());
		expect(manifest).toMatchObject({ name: 'Skena e Pavarur Kulturore', short_name: 'SPK', lang: 'sq', start_url: '/', display: 'standalone' });

		const icons: { src: string; sizes: string; type: string; purpose: string }[] = manifest.icons;
		expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
		for (const icon of icons) {
			expect(icon.type).toBe('image/png');
			await expectPng(await page.request.get(icon.src), Number(icon.sizes.split('x')[0]));
		}
		const apple = await page.locator('link[rel=apple-touch-icon]').getAttribute('href');
		await expectPng(await page.request.get(apple!), 180);
		await expect(page.locator('meta[name=theme-color][media="(prefers-color-scheme: light)"]')).toHaveAttribute('content', '#23305e');
		await expect(page.locator('meta[name=theme-color][media="(prefers-color-scheme: dark)"]')).toHaveAttribute('content', '#1b2347');

		// The same manifest in the other languages (an address that says no language takes the request's).
		const named = async (lang: string) => JSON.parse(await (await page.request.get(`/manifest.webmanifest?lang=${lang}`)).text());
		expect(await named('en')).toMatchObject({ name: 'Independent Cultural Scene', lang: 'en' });
		expect(await named('el')).toMatchObject({ name: 'Ανεξάρτητη Πολιτιστική Σκηνή', lang: 'el' });
		expect(await named('xx')).toMatchObject({ name: 'Skena e Pavarur Kulturore', lang: 'sq' });

		// What Chromium itself checks before it offers to install: seen failing with the manifest's link removed from
		// the page ("no-manifest") and with the manifest unreachable (no name, no start URL, no display mode, no icon
		// of 144 px or more). A missing 512 px file it lets pass (the 192 px one suffices): the checks above catch it.
		// It never offers to install from a private window, as every context of the shared browser is: this one has a
		// profile folder.
		const { launchOptions, baseURL } = test.info().project.use;
		const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kuvend-install-'));
		const installer = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL, viewport: PHONE });
		try {
			// The guard watches the shared browser only: this one reports its own console problems.
			const problems: string[] = [];
			installer.on('console', (line) => ['warning', 'error'].includes(line.type()) && problems.push(line.text()));
			const tab = installer.pages()[0] ?? (await installer.newPage());
			await tab.goto('/');
			const cdp = await installer.newCDPSession(tab);
			const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
			expect(installabilityErrors).toEqual([]);
			const { errors } = await cdp.send('Page.getAppManifest');
			expect(errors).toEqual([]);
			expect(problems).toEqual([]);
		} finally {
			await installer.close();
			fs.rmSync(profile, { recursive: true, force: true });
		}
	});
});

/** The main pages a member uses, each with what shows that it has finished loading. */
const PAGES: { path: string; name: string; ready?: (page: Page) => Promise<void> }[] = [
	{ path: '/', name: 'home' },
	{ path: '/forum', name: 'forum' },
	{ path: '/forum/cultural-policy', name: 'space' },
	{ path: 'thread', name: 'thread' },
	{ path: '/drafts/1', name: 'draft', ready: (page) => expect(page.locator('.ProseMirror')).toBeVisible() },
	{ path: '/votes/2', name: 'ballot', ready: (page) => expect(page.getByRole('radio').first()).toBeVisible() },
	{ path: '/votes/1', name: 'vote-result' },
	{ path: '/meetings/1/live', name: 'live', ready: (page) => expect(page.getByTestId('live-room')).toBeVisible() },
	{ path: '/meetings/1/projector', name: 'projector', ready: (page) => expect(page.getByTestId('projector')).toBeVisible() },
	{ path: '/search?q=kultur', name: 'search' },
	{ path: '/settings', name: 'settings' },
	{ path: '/coordination', name: 'coordination' }
];

/**
 * The page's background as the browser paints it: the dark scheme's near-black, not the light scheme's paper (so the
 * test fails without the dark palette, where axe alone would pass the light one). Axe was seen failing here on a
 * search hit's mark (3.6:1 for a link on the first dark yellow) and on scroll regions a keyboard could not reach.
 */
const DARK_BACKGROUND = 'rgb(18, 20, 25)';

for (const locale of ['sq', 'en', 'el'] as const) {
	test(`in dark mode the main pages ${locale === 'sq' ? 'pass axe and ' : ''}fit a phone, in ${locale}`, async ({ browser }) => {
		test.setTimeout(180_000);
		const context = await browser.newContext({ colorScheme: 'dark', locale: 'sq-AL', timezoneId: 'Europe/Tirane', viewport: PHONE });
		const page = await context.newPage();
		await signIn(page, 'coordinator@demo.test');
		await setLanguage(context, locale);
		try {
			await page.goto('/forum/cultural-policy');
			const thread = await page.locator('a[href^="/forum/t/"]').first().getAttribute('href');
			for (const viewport of [PHONE, DESKTOP]) {
				await page.setViewportSize(viewport);
				for (const { path, name, ready } of PAGES) {
					await page.goto(path === 'thread' ? thread! : path);
					await expect(page.locator('html')).toHaveAttribute('lang', locale);
					if (ready) await ready(page);
					expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), name).toBe(DARK_BACKGROUND);
					// Colours and structure are the same in every language: axe runs in Albanian (the default) and the
					// width check and screenshots, which a longer Greek word can change, in all three (about a minute less).
					if (locale === 'sq') await expectAccessible(page);
					expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits the width`).toBeLessThanOrEqual(viewport.width);
					await screenshot(page, `looks-dark-${name}-${viewport === PHONE ? 'phone' : 'desktop'}-${locale}`);
				}
			}
		} finally {
			// The coordinator reads Albanian in every other spec.
			await setLanguage(context, 'sq');
			await context.close();
		}
	});
}

/** The WCAG contrast of two colours as the browser computes them (`rgb(...)`, or `color(srgb ...)` from color-mix). */
function contrast(a: string, b: string): number {
	const channels = (css: string) => {
		const srgb = css.match(/color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/);
		if (srgb) return srgb.slice(1, 4).map(Number);
		return css.match(/[\d.]+/g)!.slice(0, 3).map((n) => Number(n) / 255);
	};
	const luminance = (css: string) => {
		const [r, g, b] = channels(css).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

// The presence palette is deep, for white paper: on the dark editor six of its ten colours drew a caret line under
// 3:1 (#6d28d9 at 2.35). Seen failing with the dark rule for the line removed from DraftEditor.svelte.
test('in dark mode a co-editor’s caret line stands out from the page in every colour of the palette', async ({ browser }) => {
	test.setTimeout(60_000);
	const open = async (email: string, viewport: { width: number; height: number }, locale: 'sq' | 'el') => {
		const context = await browser.newContext({ colorScheme: 'dark', locale: 'sq-AL', timezoneId: 'Europe/Tirane', viewport });
		const page = await context.newPage();
		// Each in their seeded language whatever another spec left stored (Arben's labels below are Albanian; the specs
		// after this one find Maria in Greek, as the seed made her).
		await signInReading(page, email, locale);
		return page;
	};
	const arben = await open('member1@demo.test', DESKTOP, 'sq');
	const maria = await open('member2@demo.test', PHONE, 'el');
	await arben.goto('/drafts/new');
	await arben.getByLabel('Titulli', { exact: true }).fill('Karetat në errësirë');
	await arben.getByLabel('Fusha e veprimit').selectOption('cultural-policy');
	await arben.getByRole('button', { name: 'Fillo projektin' }).click();
	await arben.waitForURL(/\/drafts\/\d+$/);
	await maria.goto(new URL(arben.url()).pathname);
	for (const page of [arben, maria]) await expect(page.locator('[data-synced="yes"]')).toBeVisible();
	await arben.getByRole('textbox', { name: 'Teksti i projektit' }).click();
	await arben.keyboard.type('Sallat e bashkive të hapura për grupet e pavarura.');

	const label = maria.locator('.collaboration-carets__label', { hasText: 'Arben' });
	await expect(label).toBeVisible();
	const caret = maria.locator('.collaboration-carets__caret', { has: label });
	const paper = await maria.locator('.page').evaluate((el) => getComputedStyle(el).backgroundColor);
	const own = await caret.evaluate((el) => (el as HTMLElement).style.getPropertyValue('--who'));
	expect(PRESENCE_COLORS).toContain(own);
	for (const color of [...PRESENCE_COLORS, own]) {
		const line = await caret.evaluate((el, who) => {
			(el as HTMLElement).style.setProperty('--who', who);
			return getComputedStyle(el).borderLeftColor;
		}, color);
		expect(contrast(line, paper), `${color}: ${line} on ${paper}`).toBeGreaterThanOrEqual(3);
	}
	await expectAccessible(maria);
	await screenshot(maria, 'looks-dark-carets-phone');
	await arben.context().close();
	await maria.context().close();
});
