import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { DESKTOP, PHONE, screenshot, setLanguage, signIn, expect, test } from './helpers.js';

// The minutes write themselves as a meeting runs, in the language of who called it; a consent round's objection is
// proposed to the body's next meeting. Labels come from the message files, so each language is read as its people do.
type Locale = 'sq' | 'en' | 'el';
const LOCALES: Locale[] = ['sq', 'en', 'el'];
const messages = Object.fromEntries(LOCALES.map((l) => [l, JSON.parse(fs.readFileSync(`src/lib/i18n/messages/${l}.json`, 'utf8')) as Record<string, unknown>]));
const t = (l: Locale, key: string) => messages[l][key] as string;
const TITLES: Record<Locale, [meeting: string, item: string]> = {
	sq: ['Këshilli i klasterit, dhjetor', 'Programi i rezidencave 2027'],
	en: ['Cluster council, December', 'Residencies programme 2027'],
	el: ['Συμβούλιο του δικτύου, Δεκέμβριος', 'Πρόγραμμα φιλοξενίας καλλιτεχνών 2027']
};

/** A time as the network's forms take it (Tirana's wall clock), `ms` from now. */
function tirana(ms: number): string {
	const p = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Tirane', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
			.formatToParts(Date.now() + ms)
			.map((x) => [x.type, x.value])
	);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The server's origin (as playwright.config.ts has it), for requests made from a page showing nothing. */
const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 4173}`;
const origin = () => ({ origin: ORIGIN, accept: 'application/json' });

async function person(browser: Browser, email: string, viewport: { width: number; height: number }): Promise<Page> {
	const page = await (await browser.newContext({ viewport })).newPage();
	await signIn(page, email);
	return page;
}

/** A form action answered as JSON: where it redirects (a new meeting or vote) or its data. */
async function post(page: Page, path: string, form: Record<string, string>): Promise<{ type: string; location?: string }> {
	const res = await page.request.post(path, { form, headers: { ...origin(), 'x-sveltekit-action': 'true' } });
	return (await res.json()) as { type: string; location?: string };
}

async function callMeeting(page: Page, title: string, item: string, inMs: number): Promise<number> {
	const body = await post(page, '/meetings/new', {
		title,
		description: '',
		startsAt: tirana(inMs),
		endsAt: tirana(inMs + 2 * 3600_000),
		place: 'Korçë',
		onlineUrl: '',
		body: 'network',
		visibility: 'members',
		quorumKind: 'none',
		quorumValue: '',
		agenda: item
	});
	expect(body.type, JSON.stringify(body)).toBe('redirect');
	return Number(/\/meetings\/(\d+)/.exec(body.location!)![1]);
}

test('minutes written from the meeting in sq, en and el on phone and desktop; a consent objection proposed to the next meeting', async ({ browser }) => {
	// Three meetings and a consent round on two browsers: 42 s measured here at load 10–15 (70 s at load 20).
	test.setTimeout(120_000);
	const chair = await person(browser, 'coordinator@demo.test', DESKTOP);
	const arben = await person(browser, 'member1@demo.test', PHONE);
	try {
		// A consent round with an objection, closed: the objection is proposed to the network's next meeting.
		const next = await callMeeting(chair, 'Mbledhja pas raundit të pëlqimit', 'Hapja', 4 * 60_000);
		const round = await post(chair, '/votes/new', { title: 'Rregullorja e rezidencave', method: 'consent', eligibility: 'members', visibility: 'members', results: 'live', quorumKind: 'none', threshold: 'simple', openNow: '1' });
		const voteId = Number(/\/votes\/(\d+)/.exec(round.location ?? '')![1]);
		expect((await post(arben, `/votes/${voteId}?/cast`, { method: 'consent', choice: 'object', reason: 'Afatet janë shumë të shkurtra për organizatat e vogla.' })).type).toBe('success');
		expect((await post(chair, `/votes/${voteId}?/close`, {})).type).toBe('success');
		await chair.goto(`/meetings/${next}`);
		const proposal = chair.getByTestId('proposal');
		await expect(proposal).toContainText('Afatet janë shumë të shkurtra');
		await screenshot(chair, 'record-proposal-sq-desktop');
		await proposal.getByRole('button', { name: t('sq', 'rec_accept') }).click();
		await expect(proposal).toHaveAttribute('data-status', 'accepted');
		await expect(chair.getByText('Kundërshtim ndaj „Rregullorja e rezidencave”').first()).toBeVisible();

		for (const locale of LOCALES) {
			await Promise.all([setLanguage(chair.context(), locale), setLanguage(arben.context(), locale)]);
			const [title, item] = TITLES[locale];
			const id = await callMeeting(chair, title, item, 3600_000);
			const live = `/meetings/${id}/live`;
			await chair.goto(live);
			await chair.getByRole('button', { name: t(locale, 'live_start') }).click();
			await chair.getByRole('button', { name: t(locale, 'live_check_in'), exact: true }).click();
			// The member takes part from a phone in the first meeting; the others record the chair alone.
			if (locale === 'sq') {
				await arben.goto(live);
				await arben.getByRole('button', { name: t(locale, 'live_check_in'), exact: true }).click();
				await arben.getByRole('button', { name: t(locale, 'live_raise_hand') }).click();
				await chair.getByRole('button', { name: t(locale, 'live_give_floor_next') }).click();
				await chair.getByRole('button', { name: t(locale, 'live_end_speech') }).click();
				await expect(chair.getByTestId('speaking')).toHaveCount(0);
			}
			await chair.getByRole('button', { name: t(locale, 'live_conclude_item') }).click();
			await expect(chair.getByTestId('current-item')).not.toContainText(item);
			if (locale === 'sq') {
				// One action from the live room: the minutes, frozen as a version, go to a vote of those present.
				await chair.getByRole('button', { name: t(locale, 'rec_put_button') }).click();
				await expect(chair.getByText(t(locale, 'rec_put_done'))).toBeVisible();
				const approval = await chair.getByRole('link', { name: t(locale, 'rec_minutes_vote_link') }).getAttribute('href');
				// Those present approve them: adopted, they are frozen and in the register.
				expect((await post(arben, `${approval}?/cast`, { method: 'yes_no', choice: 'yes' })).type).toBe('success');
				expect((await post(chair, `${approval}?/close`, {})).type).toBe('success');
				await chair.goto(live);
			}
			chair.once('dialog', (d) => void d.accept());
			await chair.getByRole('button', { name: t(locale, 'live_end') }).click();
			await expect(chair.getByTestId('live-room')).toHaveAttribute('data-status', 'ended');
			const minutes = await chair.getByRole('link', { name: t(locale, 'live_minutes'), exact: true }).getAttribute('href');
			await Promise.all([chair.goto(minutes!), arben.goto(minutes!)]);
			for (const page of [chair, arben]) {
				const doc = page.locator('.ProseMirror');
				await expect(doc).toContainText(t(locale, 'rec_record_heading'));
				await expect(doc).toContainText(t(locale, 'rec_attendance_heading'));
			}
			await screenshot(chair, `record-minutes-${locale}-desktop`);
			await screenshot(arben, `record-minutes-${locale}-phone`);
		}
	} finally {
		await Promise.all([chair.context().close(), arben.context().close()]);
	}
});

// The demo's people read Albanian again, however the test ended (its own pages may be gone by then).
test.afterEach(async ({ browser }) => {
	for (const email of ['coordinator@demo.test', 'member1@demo.test']) {
		const page = await person(browser, email, DESKTOP);
		await setLanguage(page.context(), 'sq');
		await page.context().close();
	}
});
