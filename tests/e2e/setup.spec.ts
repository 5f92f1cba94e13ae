import fs from 'node:fs';
import { DESKTOP, PHONE, expectAccessible, refusedForm, screenshot, expect, test } from './helpers.js';
import { spawnServer, tempDir } from '../integration/helpers/app.js';

// Labels from src/lib/i18n/messages/sq.json: the person who starts the network reads Albanian. This spec needs a
// network with nobody in it, so it starts its own server with SEED=none beside the suite's demo one.
test('day one: the operator opens the printed setup link, creates the first coordinator and walks the setup', async ({ browser, consoleGuard }) => {
	test.setTimeout(240_000);
	const dir = tempDir('kuvend-e2e-setup-');
	const server = spawnServer({ PORT: '0', DATA_DIR: dir, SEED: 'none', NODE_ENV: 'production', RATE_LIMITS: 'relaxed' });
	try {
		const url = await server.url;
		const link = /https?:\/\/\S+\/setup\/[A-Za-z0-9_-]+/.exec(server.output())?.[0];
		expect(link, 'the setup link among the start-up lines').toBeTruthy();
		const setupPath = new URL(link!).pathname;

		const context = await browser.newContext({ viewport: PHONE, locale: 'sq-AL' });
		const page = await context.newPage();
		await page.goto(link!);
		await expect(page.getByRole('heading', { name: 'Krijoni koordinatorin e parë' })).toBeVisible();
		await expectAccessible(page);
		await screenshot(page, 'setup-link-phone');

		// A mistake: the message in Albanian, the name and email kept.
		consoleGuard.expect(refusedForm(setupPath), 'the first try has two passwords that differ: answered 400 with the form again');
		await page.getByLabel('Emri juaj').fill('Elira Dervishi');
		await page.getByLabel('Email-i').fill('elira@rrjeti.example.org');
		await page.getByLabel('Fjalëkalimi i ri', { exact: true }).fill('nje fjalekalim i gjate');
		await page.getByLabel('Fjalëkalimi i ri, përsëri').fill('nje fjalekalim tjeter');
		await page.getByRole('button', { name: 'Krijo koordinatorin dhe vazhdo' }).click();
		await expect(page.getByText('Dy fjalëkalimet nuk përputhen.')).toBeVisible();
		await expect(page.getByLabel('Emri juaj')).toHaveValue('Elira Dervishi');
		await expect(page.getByLabel('Email-i')).toHaveValue('elira@rrjeti.example.org');

		await page.getByLabel('Fjalëkalimi i ri', { exact: true }).fill('nje fjalekalim i gjate');
		await page.getByLabel('Fjalëkalimi i ri, përsëri').fill('nje fjalekalim i gjate');
		await page.getByRole('button', { name: 'Krijo koordinatorin dhe vazhdo' }).click();

		// Signed in as the coordinator, in the wizard.
		await page.waitForURL('**/coordination/setup');
		await expect(page.getByRole('heading', { name: 'Nisni rrjetin' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Profili i rrjetit' })).toHaveAttribute('href', '/coordination/network?setup=1');
		await expectAccessible(page);
		await screenshot(page, 'setup-wizard-phone');
		await page.setViewportSize(DESKTOP);
		await screenshot(page, 'setup-wizard-desktop');

		// The steps that live in the wizard itself, with the stepper: mail, then the first members.
		await page.getByRole('link', { name: 'Posta', exact: true }).click();
		await page.waitForURL('**/coordination/setup/mail?setup=1');
		const stepper = page.getByRole('navigation', { name: 'Hapat e nisjes së rrjetit' });
		await expect(stepper.getByText('Hapi 4 nga 5')).toBeVisible();
		await expect(page.getByText('Nuk është caktuar server SMTP')).toBeVisible();
		await expectAccessible(page);
		await stepper.getByRole('link', { name: /Para/ }).click();
		await page.waitForURL('**/coordination/setup/members?setup=1');
		await expect(page.getByText(`${url}/join`)).toBeVisible();
		await page.setViewportSize(PHONE);
		await screenshot(page, 'setup-members-phone');
		await page.getByRole('button', { name: 'Përfundo nisjen' }).click();
		await expect(page.getByText('Nisja e rrjetit ka përfunduar.')).toBeVisible();

		// The link is spent and the way closed.
		consoleGuard.expect(/404 \(Not Found\)/, 'the setup link opened again once a coordinator exists');
		const again = await page.goto(link!);
		expect(again?.status()).toBe(404);
		await context.close();
	} finally {
		server.child.kill('SIGTERM');
		await server.exit;
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
