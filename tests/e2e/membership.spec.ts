import { DESKTOP, PHONE, expectAccessible, refusedForm, screenshot, signIn, expect, test } from './helpers.js';
import { readMail } from './mail-server.js';

test('a visitor applies for an organisation, a coordinator approves, the email arrives, the new member finds their organisation', async ({
	browser,
	consoleGuard
}) => {
	// A visitor's phone, a coordinator's desktop and a mail through the SMTP server: over 30 s beside the other half.
	test.setTimeout(60_000);
	consoleGuard.expect(refusedForm('/join'), 'the first application has a short password: answered 400 with the form again');
	const visitorContext = await browser.newContext({ viewport: PHONE, locale: 'sq-AL' });
	const visitor = await visitorContext.newPage();
	await visitor.goto('/');
	await visitor.getByRole('link', { name: 'Anëtarësohu' }).first().click();
	await visitor.waitForURL('**/join');
	await expectAccessible(visitor);

	await visitor.getByText('Për një organizatë').click();
	await visitor.getByLabel('Emri i organizatës').fill('Teatri Kukullor Elbasan');
	await visitor.getByLabel('Faqja e internetit').fill('https://kukulla.example.org');
	await visitor.getByLabel('Emri dhe mbiemri').fill('Drita Mema');
	await visitor.getByLabel('Adresa e email-it').fill('drita@example.org');
	await visitor.getByLabel('Fjalëkalimi').fill('short');
	await visitor.getByLabel('Qyteti').fill('Elbasan');
	await visitor.getByLabel('Arte skenike').check();
	await visitor.getByLabel('Trashëgimi kulturore').check();
	await visitor.getByLabel('Pse dëshironi të anëtarësoheni?').fill('Ne bëjmë teatër kukullash për fëmijë në Elbasan dhe duam të bashkëpunojmë.');
	await visitor.getByRole('button', { name: 'Dërgo aplikimin' }).click();

	// A mistake: a clear message, and nothing typed is lost but the password.
	await expect(visitor.getByText('Përdorni të paktën 10 shenja.')).toBeVisible();
	await expect(visitor.getByLabel('Emri i organizatës')).toHaveValue('Teatri Kukullor Elbasan');
	await expect(visitor.getByLabel('Arte skenike')).toBeChecked();
	await screenshot(visitor, 'join-error-phone');
	await visitor.getByLabel('Fjalëkalimi').fill('kukulla-elbasan-2026');
	await visitor.getByRole('button', { name: 'Dërgo aplikimin' }).click();
	await visitor.waitForURL('**/application');
	await expect(visitor.getByText('Koordinatorët e rrjetit po e shqyrtojnë aplikimin tuaj')).toBeVisible();
	await screenshot(visitor, 'application-phone');

	const coordinatorContext = await browser.newContext({ viewport: DESKTOP, locale: 'sq-AL' });
	const coordinator = await coordinatorContext.newPage();
	await signIn(coordinator, 'coordinator@demo.test');
	await coordinator.getByRole('link', { name: 'Koordinimi' }).click();
	await expect(coordinator.getByRole('heading', { name: 'Teatri Kukullor Elbasan' })).toBeVisible();
	await screenshot(coordinator, 'review-queue-desktop');
	await expectAccessible(coordinator);
	await coordinator.setViewportSize(PHONE);
	await screenshot(coordinator, 'review-queue-phone');
	await coordinator.getByRole('button', { name: 'Mirato' }).click();
	await expect(coordinator.getByText('U miratua. Personi që aplikoi u njoftua me email.')).toBeVisible();

	await expect.poll(() => readMail().filter((m) => m.to.some((t) => t.includes('drita@example.org'))).map((m) => m.subject)).toContain('Mirë se vini në rrjet');
	const welcome = readMail().find((m) => m.subject === 'Mirë se vini në rrjet')!;
	const loginUrl = /(http:\/\/\S+\/login)/.exec(welcome.text)![1];

	await visitor.goto(loginUrl);
	// Already signed in as the applicant: the approval takes effect on the next page.
	await visitor.waitForURL('**/forum');
	await visitor.goto('/members?q=Drita');
	await visitor.getByRole('link', { name: 'Drita Mema' }).click();
	await visitor.getByRole('link', { name: 'Teatri Kukullor Elbasan' }).click();
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Teatri Kukullor Elbasan');
	await expect(visitor.getByRole('heading', { name: 'Ndrysho profilin' })).toBeVisible();
	await screenshot(visitor, 'organisation-phone');

	await coordinatorContext.close();
	await visitorContext.close();
});

test('the directory filters members, on a phone and a desktop', async ({ page }) => {
	await signIn(page, 'member2@demo.test');
	for (const [name, viewport] of [
		['desktop', DESKTOP],
		['phone', PHONE]
	] as const) {
		await page.setViewportSize(viewport);
		await page.goto('/members');
		await page.getByLabel('Πεδίο δράσης').selectOption('music');
		await page.getByRole('button', { name: 'Φιλτράρισμα' }).click();
		await expect(page.getByRole('link', { name: 'Ilir Gjoni' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Blerina Shehu' })).toHaveCount(0);
		await screenshot(page, `directory-${name}`);
		await expectAccessible(page);
	}
});
