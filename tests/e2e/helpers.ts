import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type ConsoleMessage, type Locator, type Page } from '@playwright/test';

/**
 * Console lines that are neither the app's nor a test's own doing and that no test can avoid (Chromium's or an
 * extension's), each with why. Empty: every line the whole suite produced (December 2026, Chromium 156) was the
 * app's, fixed, or one a test causes on purpose and declares with `consoleGuard.expect`.
 */
const NOT_THE_APPS: { pattern: RegExp; why: string }[] = [];

/** One console line or uncaught error, as the failing test reports it. */
function describeMessage(message: ConsoleMessage): string {
	const { url, lineNumber } = message.location();
	return `${message.type()}: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`;
}

/** What a test may declare about its own console: a message it causes on purpose (a request it makes fail). */
export interface ConsoleGuard {
	/**
	 * Lets one console line matching `pattern` (as reported: level, text, and the script or resource) through for
	 * this test, which must then cause exactly that one (declare it again for each more); `why` is for the reader.
	 */
	expect(pattern: RegExp, why: string): void;
}

/**
 * Every spec takes `test` and `expect` from here: an automatic fixture listens on every browser context the test
 * opens (the default one and any `browser.newContext()`, so every page in them) for console warnings and errors and
 * uncaught page errors, and fails the test with the list when there was any it did not declare.
 */
export const test = base.extend<{ consoleGuard: ConsoleGuard; calmContexts: void }>({
	/**
	 * Every context a test opens prefers reduced motion, as the default one does (playwright.config.ts `use`, which a
	 * test's own `browser.newContext()` does not read): an endless animation (a live meeting's pulsing badge) kept each
	 * open page compositing frames in software all test long, on two cores where CPU is the browser stage's whole time.
	 * A test may still ask otherwise in its options.
	 */
	calmContexts: [
		async ({ browser }, use) => {
			const newContext = browser.newContext;
			browser.newContext = (options) => newContext.call(browser, { reducedMotion: 'reduce', ...options });
			await use();
			browser.newContext = newContext;
		},
		{ auto: true }
	],
	consoleGuard: [
		async ({ browser }, use) => {
			const problems: string[] = [];
			const declared: { pattern: RegExp; seen: boolean }[] = [];
			const watch = (context: BrowserContext) => {
				context.on('console', (message) => {
					if (message.type() !== 'warning' && message.type() !== 'error') return;
					const line = describeMessage(message);
					if (NOT_THE_APPS.some((allowed) => allowed.pattern.test(line))) return;
					const expected = declared.find((d) => !d.seen && d.pattern.test(line));
					if (expected) expected.seen = true;
					else problems.push(line);
				});
				context.on('weberror', (error) => problems.push(`pageerror: ${error.error().stack ?? error.error().message}`));
			};
			browser.contexts().forEach(watch);
			browser.on('context', watch);
			await use({ expect: (pattern) => void declared.push({ pattern, seen: false }) });
			browser.off('context', watch);
			expect(problems, 'console warnings and errors in the browser').toEqual([]);
			expect(declared.filter((d) => !d.seen).map((d) => String(d.pattern)), 'declared console messages that never came').toEqual([]);
		},
		{ auto: true }
	]
});
export { expect };

/**
 * CI runs the browser tests beside the type checks on two cores, and a busy machine makes a long scenario with
 * several browsers two to three times slower: E2E_TIME_SCALE (CI sets 2) scales the time each test gives itself, as
 * the defaults are scaled in playwright.config.ts. A test that fails still fails; it takes longer to say so.
 */
export const TIME_SCALE = Number(process.env.E2E_TIME_SCALE) || 1;
const setTimeoutAsGiven = test.setTimeout.bind(test);
test.setTimeout = (ms: number) => setTimeoutAsGiven(ms * TIME_SCALE);

/**
 * The console line Chromium writes when a page's form is answered with its problems (SvelteKit's `fail(400)` for a
 * form posted without JavaScript's help): for `consoleGuard.expect` in a test that sends bad input on purpose.
 */
export function refusedForm(pathname: string): RegExp {
	const escaped = pathname.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
	return new RegExp(`^error: Failed to load resource: the server responded with a status of 400 \\(Bad Request\\) \\(https?://[^/]+${escaped}(\\?[^)]*)?:\\d+\\)$`);
}

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 900 };
const SHOTS = path.resolve('tests/e2e/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core with WCAG 2.1 A/AA rules: no serious or critical violations. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export async function signIn(page: Page, email: string, password = 'demo-kuvend'): Promise<void> {
	await page.goto('/login');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form button[type=submit]').click();
	await page.waitForURL('**/forum');
}

/** Selects the first occurrence of a word in an editor's text (as a double-click on it would). */
export async function selectWord(editor: Locator, word: string): Promise<void> {
	await editor.evaluate((node, w) => {
		const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
		for (let t = walker.nextNode(); t; t = walker.nextNode()) {
			const at = (t.textContent ?? '').indexOf(w);
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(t, at);
			range.setEnd(t, at + w.length);
			window.getSelection()!.removeAllRanges();
			window.getSelection()!.addRange(range);
			return;
		}
	}, word);
}

/**
 * Signs in and stores the language the member reads in (the server keeps it with the account, so later pages and
 * mails follow it), then opens the forum in it: a spec that expects a language sets it, never trusting what an
 * earlier spec left. Both go through the context's requests before the tab loads a signed-in page: an open tab hears
 * of a new language on its socket and reloads itself, which interrupted whatever navigation the test had started.
 */
export async function signInReading(page: Page, email: string, locale: 'sq' | 'en' | 'el'): Promise<void> {
	await storeLanguage(page.context().request, email, locale);
	await page.goto('/forum');
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

/**
 * Stores the language of the member signed in to `context`, as the language switcher does, with none of the context's
 * tabs on a page of Kuvend: each open tab would hear of the change over its socket and reload itself, and a context
 * closed while a tab of it reloaded hung in close() until the test's time ran out (CI: dark mode in en, 333 s and
 * 360 s; the audit log in words, 224 s). The tabs stay open, on about:blank, for the test to go on with.
 */
export async function setLanguage(context: BrowserContext, locale: 'sq' | 'en' | 'el'): Promise<void> {
	await Promise.all(context.pages().map((page) => page.goto('about:blank')));
	const headers = { origin: String(test.info().project.use.baseURL) };
	expect((await context.request.post('/language', { form: { locale, redirectTo: '/forum' }, headers })).ok(), `reads ${locale}`).toBe(true);
}

/** Signs in through `request` (a context's: the context keeps the session) and stores the member's language. */
async function storeLanguage(request: APIRequestContext, email: string, locale: 'sq' | 'en' | 'el'): Promise<void> {
	// As a browser's form would post (SvelteKit answers an action asked with Accept: */* in JSON, with 200).
	const headers = { origin: String(test.info().project.use.baseURL), accept: 'text/html' };
	const signedIn = await request.post('/login', { form: { email, password: 'demo-kuvend' }, headers, maxRedirects: 0 });
	expect(signedIn.status(), `${email} signs in`).toBe(303);
	expect((await request.post('/language', { form: { locale, redirectTo: '/forum' }, headers, maxRedirects: 0 })).status(), `${email} reads ${locale}`).toBe(303);
}

/** The seeded language of each demo member a spec signs in as (server/db/seed/demo.ts). */
export const SEEDED_LANGUAGE: Record<string, 'sq' | 'en' | 'el'> = {
	'coordinator@demo.test': 'sq',
	'moderator@demo.test': 'el',
	'member1@demo.test': 'sq',
	'member2@demo.test': 'el',
	'member3@demo.test': 'sq',
	'member4@demo.test': 'el',
	'member5@demo.test': 'en'
};

/**
 * Gives the demo members their seeded languages back, for a spec's afterAll: specs share one demo database, and a
 * spec reading the demo as it was seeded (the webhooks' coordinator, say) expects each to read their own language.
 */
export async function restoreSeededLanguages(browser: Browser): Promise<void> {
	// Seven sign-ins on a busy machine: more than a hook's default 30 s once, beside the other half of the suite.
	test.setTimeout(90_000);
	for (const [email, locale] of Object.entries(SEEDED_LANGUAGE)) {
		const context = await browser.newContext();
		try {
			await storeLanguage(context.request, email, locale);
		} finally {
			await context.close();
		}
	}
}
