import fs from 'node:fs';
import { DESKTOP, PHONE, expectAccessible, refusedForm, screenshot, expect, test } from './helpers.js';
import { spawnServer, tempDir } from '../integration/helpers/app.js';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40" rx="6" fill="#1f6f5c"/><text x="60" y="27" font-family="sans-serif" font-size="18" font-weight="700" fill="#fff" text-anchor="middle">Berat</text></svg>`;

// Labels from src/lib/i18n/messages/sq.json: the person who starts the network reads Albanian. This spec needs a
// network with nobody in it, so it starts its own server with SEED=none beside the suite's demo one.
test('day one: the operator opens the printed setup link, creates the first coordinator, shapes the network, and the first member posts', async ({ browser, consoleGuard }) => {
	test.setTimeout(300_000);
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
		// The wizard's own link to the first step (the coordination tabs also link to the profile, without the wizard).
		const profileStep = page.getByRole('main').getByRole('listitem').getByRole('link', { name: 'Profili i rrjetit' });
		await expect(profileStep).toHaveAttribute('href', '/coordination/network?setup=1');
		await expectAccessible(page);
		await screenshot(page, 'setup-wizard-phone');
		await page.setViewportSize(DESKTOP);
		await screenshot(page, 'setup-wizard-desktop');

		// Step 1, the network's profile: three languages and a logo, on a phone. The wizard stays open across saves.
		await page.setViewportSize(PHONE);
		await profileStep.click();
		await page.waitForURL('**/coordination/network?setup=1');
		const stepper = page.getByRole('navigation', { name: 'Hapat e nisjes së rrjetit' });
		await expect(stepper.getByText('Hapi 1 nga 5')).toBeVisible();
		const name = page.getByRole('group', { name: 'Emri', exact: true });
		await name.getByLabel('Shqip').fill('Rrjeti i Kulturës së Beratit');
		await name.getByLabel('English').fill('Berat Culture Network');
		await name.getByLabel('Ελληνικά').fill('Δίκτυο Πολιτισμού του Μπερατίου');
		const tagline = page.getByRole('group', { name: 'Prezantimi i shkurtër' });
		await tagline.getByLabel('Shqip').fill('Artistët dhe organizatat e Beratit vendosin së bashku.');
		await tagline.getByLabel('English').fill('Berat’s artists and organisations decide together.');
		await tagline.getByLabel('Ελληνικά').fill('Οι καλλιτέχνες και οι οργανισμοί του Μπερατίου αποφασίζουν μαζί.');
		await page.getByLabel('Ngarko një logo të re').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO) });
		await page.getByRole('button', { name: 'Ruaj profilin' }).click();
		await expect(page.getByText('Profili u ruajt.')).toBeVisible();
		await expect(stepper.getByText('Hapi 1 nga 5')).toBeVisible();
		await expectAccessible(page);
		await screenshot(page, 'setup-network-phone');
		await page.setViewportSize(DESKTOP);
		await screenshot(page, 'setup-network-desktop');
		await page.setViewportSize(PHONE);

		// Step 2, a field of action, which gets its forum space.
		await stepper.getByRole('link', { name: /Para/ }).click();
		await page.waitForURL('**/coordination/fields?setup=1');
		await expect(page.getByText('Rrjeti nuk ka ende asnjë fushë veprimi.')).toBeVisible();
		const fieldName = page.getByRole('group', { name: 'Emri', exact: true });
		await fieldName.getByLabel('Shqip').fill('Festivalet');
		await fieldName.getByLabel('English').fill('Festivals');
		await fieldName.getByLabel('Ελληνικά').fill('Φεστιβάλ');
		await page.getByRole('button', { name: 'Shto fushën' }).click();
		await expect(page.getByText('Fusha u shtua, me hapësirën e saj në forum.')).toBeVisible();
		await expect(stepper.getByText('Hapi 2 nga 5')).toBeVisible();

		// Step 3, a city cluster with its facilitator (the only member yet: the coordinator).
		await stepper.getByRole('link', { name: /Para/ }).click();
		await page.waitForURL('**/coordination/groups?setup=1');
		await page.getByRole('link', { name: 'Grup i ri' }).click();
		await page.waitForURL('**/coordination/groups/new?setup=1');
		await page.getByRole('textbox', { name: 'Emri', exact: true }).fill('Klasteri i Beratit');
		await page.getByRole('radio', { name: 'Klaster qyteti' }).check();
		await page.getByRole('textbox', { name: 'Qyteti', exact: true }).fill('Berat');
		await page.getByRole('textbox', { name: 'Shqip', exact: true }).fill('Grupimi kulturor dhe krijues i Beratit.');
		await page.getByRole('checkbox', { name: /Elira Dervishi/ }).check();
		await page.getByRole('button', { name: 'Krijo grupin' }).click();
		await page.waitForURL('**/coordination/groups?created=1&setup=1');
		await expect(page.getByRole('link', { name: 'Klasteri i Beratit' })).toBeVisible();

		// Steps 4 and 5 live in the wizard itself: mail, then the first members.
		await stepper.getByRole('link', { name: /Para/ }).click();
		await page.waitForURL('**/coordination/setup/mail?setup=1');
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

		// The first applicant joins from /join, choosing the new field; approved, they post in its space.
		const applicantContext = await browser.newContext({ viewport: PHONE, locale: 'sq-AL' });
		const applicant = await applicantContext.newPage();
		await applicant.goto(`${url}/`);
		await expect(applicant.getByText('Artistët dhe organizatat e Beratit vendosin së bashku.')).toBeVisible();
		await applicant.goto(`${url}/join`);
		await applicant.getByLabel('Emri dhe mbiemri').fill('Arta Kodra');
		await applicant.getByLabel('Adresa e email-it').fill('arta@berat.example.org');
		await applicant.getByLabel('Fjalëkalimi').fill('festivali-i-beratit');
		await applicant.getByLabel('Qyteti').fill('Berat');
		await applicant.getByLabel('Festivalet').check();
		await applicant.getByLabel('Pse dëshironi të anëtarësoheni?').fill('Organizoj festivalin e muzikës në kalanë e Beratit.');
		await applicant.getByRole('button', { name: 'Dërgo aplikimin' }).click();
		await applicant.waitForURL('**/application');
		await page.goto(`${url}/coordination`);
		await expect(page.getByRole('heading', { name: 'Arta Kodra' })).toBeVisible();
		await page.getByRole('button', { name: 'Mirato' }).click();
		await expect(page.getByText(/U miratua/)).toBeVisible();
		await applicant.goto(`${url}/forum/festivals`);
		await applicant.getByLabel('Titulli').fill('Festivali i kalasë, qershor 2027');
		await applicant.getByLabel('Teksti juaj').fill('Kërkojmë vullnetarë dhe organizata partnere për festivalin.');
		await applicant.getByRole('button', { name: 'Publiko' }).click();
		await applicant.waitForURL('**/forum/t/*');
		await expect(applicant.getByRole('heading', { name: 'Festivali i kalasë, qershor 2027' })).toBeVisible();
		await screenshot(applicant, 'setup-first-thread-phone');
		await applicantContext.close();

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
