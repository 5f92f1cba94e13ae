import { test } from './helpers.js';

// The guard in helpers.ts fails a test for any console warning or error and any uncaught page error, in every
// context the test opens. These tests are marked as failing: each passes only when the guard fails it. Without the
// guard (its `browser.on('context', watch)` removed, seen here) all three ran green and were reported as
// "expected to fail" but passed, and the run failed.

test('a console warning in the default page fails the test', async ({ page }) => {
	test.fail();
	await page.evaluate(() => console.warn('a warning the app should not give'));
});

test('a console error in a page of a context opened by the test fails it', async ({ browser }) => {
	test.fail();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.evaluate(() => console.error('an error in a second context'));
	await context.close();
});

test('an uncaught exception in a page fails the test', async ({ page }) => {
	test.fail();
	// An inline script runs as the page's own would: its exception is nobody's to catch.
	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'throw new Error("uncaught")';
		document.body.append(script);
	});
});

test('ordinary logging does not', async ({ page }) => {
	await page.evaluate(() => {
		console.log('log');
		console.info('info');
	});
});

test('a message the test declares passes, once it comes', async ({ page, consoleGuard }) => {
	consoleGuard.expect(/^warning: declared on purpose/, 'this test');
	await page.evaluate(() => console.warn('declared on purpose'));
});

test('a declared message that never comes fails the test', async ({ consoleGuard }) => {
	test.fail();
	consoleGuard.expect(/^warning: never said/, 'this test');
});

test('a declared line lets one through, not two', async ({ page, consoleGuard }) => {
	test.fail();
	consoleGuard.expect(/^warning: said twice/, 'this test');
	await page.evaluate(() => {
		console.warn('said twice');
		console.warn('said twice');
	});
});
