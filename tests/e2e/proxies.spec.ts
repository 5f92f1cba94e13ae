import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, SEEDED_LANGUAGE, screenshot, signInReading, expect, test } from './helpers.js';

// Each person reads their seeded language (src/lib/i18n/messages): Blerina and the coordinator Albanian, Gentian
// English, Dimitra Greek, set here whatever an earlier spec left stored; the meeting is all there is to put back.
const PROJECTOR = { width: 1280, height: 720 };
const MOTION = 'Anëtarësimi i ri: dy dhoma';

async function person(browser: Browser, email: string, viewport = PHONE): Promise<Page> {
	const page = await (await browser.newContext({ viewport })).newPage();
	await signInReading(page, email, SEEDED_LANGUAGE[email]);
	return page;
}

/** A network meeting with a quorum of three, called through the new-meeting form's action; its id. */
async function callMeeting(page: Page): Promise<number> {
	const day = new Date(Date.now() + 3600_000).toISOString().slice(0, 10);
	const res = await page.request.post('/meetings/new', {
		form: { title: 'Asambleja me prokura', description: '', startsAt: `${day}T18:00`, endsAt: `${day}T20:00`, place: 'Korçë', onlineUrl: '', body: 'network', visibility: 'members', quorumKind: 'count', quorumValue: '3', agenda: 'Anëtarësimi' },
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' }
	});
	const body = (await res.json()) as { type: string; location?: string };
	expect(body.type, JSON.stringify(body)).toBe('redirect');
	return Number(/\/meetings\/(\d+)/.exec(body.location ?? '')![1]);
}

test('a proxy given, held and used in a meeting, with a two-chamber vote, on phones and the projector', async ({ browser }) => {
	// Four browsers and a whole meeting: 50-57 s here with the machine's load at 21-25 on 2 cores (14 s of it the four
	// sign-ins' Argon2), so an allowance like the meetings spec's.
	test.setTimeout(120_000);
	const [chair, giver, holder, wall] = await Promise.all([
		person(browser, 'coordinator@demo.test', DESKTOP),
		person(browser, 'member3@demo.test'),
		person(browser, 'member5@demo.test'),
		person(browser, 'member4@demo.test', PROJECTOR)
	]);
	const id = await callMeeting(chair);
	const proxyPage = `/meetings/${id}/proxy`;
	try {
		// Blerina cannot come: from the meeting's page she gives her proxy to Gentian, picked by name.
		await giver.goto(`/meetings/${id}`);
		await giver.getByRole('link', { name: 'Nuk vini dot? Jepni prokurën' }).click();
		await giver.getByRole('button', { name: 'Jepe prokurën' }).click();
		await expect(giver.locator('#proxy-holder-error')).toHaveText('Zgjidhni anëtarin që do të votojë për ju.');
		await screenshot(giver, 'proxy-refused-sq-phone');
		await giver.getByLabel('Anëtari që voton për ju').selectOption({ label: 'Gentian Dervishi' });
		await giver.getByRole('button', { name: 'Jepe prokurën' }).click();
		await expect(giver.getByTestId('proxy-state')).toHaveText('Prokurën jua mban Gentian Dervishi.');
		await screenshot(giver, 'proxy-given-sq-phone');

		// Side by side: Gentian sees whose proxy he holds; Dimitra, on the wall's screen, sees the form in Greek; the
		// chair looks at where coordinators set the cap (left at 2).
		await Promise.all([
			(async () => {
				await holder.goto(proxyPage);
				await expect(holder.getByTestId('proxies-held')).toHaveText('Blerina Shehu');
				await screenshot(holder, 'proxy-held-en-phone');
				await holder.goto(`/meetings/${id}/live`);
			})(),
			(async () => {
				await wall.goto(proxyPage);
				await expect(wall.getByRole('button', { name: 'Δώστε την εξουσιοδότηση' })).toBeVisible();
				await screenshot(wall, 'proxy-form-el-desktop');
				await wall.goto(`/meetings/${id}/projector`);
			})(),
			(async () => {
				await chair.goto('/coordination/votes');
				await expect(chair.getByLabel('Sa prokura mund të mbajë një anëtar')).toHaveValue('2');
				await screenshot(chair, 'proxy-cap-sq-desktop');
				await chair.goto(`/meetings/${id}/live`);
			})()
		]);

		// The meeting: the chair and Gentian check in (each represents an organisation); the meter counts Blerina apart.
		await chair.getByRole('button', { name: 'Fillo mbledhjen' }).click();
		await chair.getByRole('button', { name: 'Regjistro praninë', exact: true }).click();
		await holder.getByRole('button', { name: 'Check in', exact: true }).click();
		for (const page of [chair, wall]) {
			await expect(page.getByTestId('quorum')).toHaveAttribute('data-present', '2');
			await expect(page.getByTestId('quorum-represented')).toBeVisible();
			await expect(page.getByTestId('quorum')).toHaveAttribute('data-reached', 'true');
		}
		await expect(wall.getByTestId('quorum-organisations')).toHaveAttribute('data-present', '2');

		// A vote of two chambers; Gentian casts three ballots: his own, his organisation's, and Blerina's by proxy.
		await chair.getByText('Hap një votim për këtë pikë').click();
		await chair.getByLabel('Pyetja ose titulli', { exact: true }).fill(MOTION);
		await chair.getByRole('checkbox', { name: /Dy dhoma/ }).check();
		await chair.getByRole('button', { name: 'Hap votimin' }).click();
		const vote = holder.getByTestId('live-vote');
		await expect(vote.getByTestId('proxy-ballot')).toContainText('For Blerina Shehu · by proxy');
		for (const part of [vote.locator('fieldset.ballot'), vote.getByTestId('seat-ballot'), vote.getByTestId('proxy-ballot')]) {
			await part.getByRole('radio', { name: 'Yes', exact: true }).check();
			await part.getByRole('button', { name: 'Cast my ballot' }).click();
		}
		await expect(vote.getByTestId('receipt')).toHaveCount(3);
		// The chair votes against as a member, and leaves his organisation's ballot uncast.
		const own = chair.getByTestId('live-vote').locator('fieldset.ballot');
		await own.getByRole('radio', { name: 'Jo', exact: true }).check();
		await own.getByRole('button', { name: 'Hidh votën' }).click();
		await expect(wall.getByTestId('projector-members').locator('.turnout')).toHaveAttribute('data-participants', '3');
		await screenshot(holder, 'proxy-ballots-en-phone');

		await chair.getByTestId('live-vote').getByRole('button', { name: 'Mbyll votimin' }).click();
		await expect(wall.getByTestId('projector-outcome')).toHaveClass(/passed/);
		await expect(wall.getByTestId('projector-organisations')).toBeVisible();
		await screenshot(wall, 'proxy-projector-el');
		// The same wall in Albanian and in English, on Blerina's and on Gentian's screens.
		await Promise.all(
			([[giver, 'sq'], [holder, 'en']] as const).map(async ([page, locale]) => {
				await page.setViewportSize(PROJECTOR);
				await page.goto(`/meetings/${id}/projector`);
				await expect(page.getByTestId('projector-outcome')).toHaveClass(/passed/);
				await screenshot(page, `proxy-projector-${locale}`);
			})
		);

		// The meeting ends, so that no other test finds it live in the shared demo; Blerina is told on the bell that
		// her proxy was used, and by whom, never how.
		chair.once('dialog', (d) => void d.accept());
		await chair.getByRole('button', { name: 'Mbyll mbledhjen' }).click();
		await giver.setViewportSize(PHONE);
		await giver.goto('/notifications');
		await expect(giver.getByRole('link', { name: `Gentian Dervishi votoi për ju me prokurë te “${MOTION}”` })).toBeVisible();
		await screenshot(giver, 'proxy-used-bell-sq-phone');
		await expect(chair.getByTestId('live-room')).toHaveAttribute('data-status', 'ended');
	} finally {
		for (const page of [chair, giver, holder, wall]) await page.context().close();
	}
});
