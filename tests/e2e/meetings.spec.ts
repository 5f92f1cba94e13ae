import fs from 'node:fs';
import type { Browser, Locator, Page } from '@playwright/test';
import { DESKTOP, expectAccessible, restoreSeededLanguages, expect, test, signInReading } from './helpers.js';

// Members switched to Albanian here get their seeded languages back (the next spec expects them).
test.afterAll(({ browser }) => restoreSeededLanguages(browser));

// Labels from src/lib/i18n/messages/sq.json: everyone here reads Albanian. Members take part from phones.
const sq = {
	start: 'Fillo mbledhjen',
	checkIn: 'Regjistro praninë',
	raiseHand: 'Kërko fjalën',
	nextSpeaker: 'Jepi fjalën të radhës',
	openVote: 'Hap një votim për këtë pikë',
	voteTitle: 'Pyetja ose titulli',
	openVoteSubmit: 'Hap votimin',
	yes: 'Po',
	passed: 'Miratohet',
	no: 'Jo',
	cast: 'Hidh votën',
	closeVote: 'Mbyll votimin',
	conclude: 'Mbyll këtë pikë',
	end: 'Mbyll mbledhjen',
	minutes: 'Procesverbali'
};
const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1280, height: 720 };
const SHOTS = '/tmp/live-shots';
const MOTION = 'Miratojmë programin e festivalit 2027?';

/** The whole page, and with `at` also the screen as the person sees it with that part scrolled into view. */
async function shot(page: Page, name: string, at?: Locator): Promise<void> {
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
	if (!at) return;
	await at.scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${SHOTS}/${name}-screen.png` });
}

/** A signed-in member in a browser context of their own, reading Albanian. */
async function member(browser: Browser, email: string, viewport = PHONE): Promise<Page> {
	const context = await browser.newContext({ viewport, locale: 'sq-AL' });
	const page = await context.newPage();
	await signInReading(page, email, 'sq');
	return page;
}

/** Calls a network meeting with two agenda items and a quorum of three through the new-meeting form; its id. */
async function callMeeting(page: Page): Promise<number> {
	const day = new Date(Date.now() + 3600_000).toISOString().slice(0, 10);
	const res = await page.request.post('/meetings/new', {
		form: {
			title: 'Asambleja e rrjetit, dhjetor',
			description: '',
			startsAt: `${day}T18:00`,
			endsAt: `${day}T20:00`,
			place: 'Teatri Skena 8, Tiranë',
			onlineUrl: '',
			body: 'network',
			visibility: 'members',
			quorumKind: 'count',
			quorumValue: '3',
			agenda: 'Programi i festivalit 2027\nBuxheti i rrjetit'
		},
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' }
	});
	// A form action asked for JSON answers with where it would redirect.
	const body = (await res.json()) as { type: string; location?: string };
	expect(body.type, JSON.stringify(body)).toBe('redirect');
	return Number(/\/meetings\/(\d+)/.exec(body.location ?? '')![1]);
}

const room = (page: Page) => page.getByTestId('live-room');
const quorum = (page: Page) => page.getByTestId('quorum');
const participation = (page: Page) => page.getByTestId('participation').first();

test('a chair runs a live meeting: check-in, quorum, speakers, a vote from phones, decision and minutes', async ({ browser }) => {
	// Five browsers and a whole meeting: about 50 s on a quiet machine; CI's, running the other half of the browser
	// tests beside it on two cores, was still taking its last screenshot at 120 s.
	test.setTimeout(240_000);
	const chair = await member(browser, 'coordinator@demo.test', DESKTOP);
	const id = await callMeeting(chair);
	const live = `/meetings/${id}/live`;

	const members = await Promise.all(['member1@demo.test', 'member3@demo.test', 'member5@demo.test'].map((e) => member(browser, e)));
	await chair.goto(live);
	for (const page of members) await page.goto(live);
	await expect(room(chair)).toHaveAttribute('data-status', 'scheduled');
	// Presence: everyone connected shows on the chair's screen, before anyone checks in.
	await expect(chair.getByTestId('people').locator('li')).toHaveCount(4);

	await chair.getByRole('button', { name: sq.start }).click();
	for (const page of [chair, ...members]) await expect(room(page)).toHaveAttribute('data-status', 'live');

	// Members check in from their phones; the quorum (3) is reached with the third.
	for (const [i, page] of members.entries()) {
		await expect(quorum(chair)).toHaveAttribute('data-reached', 'false');
		await page.getByRole('button', { name: sq.checkIn, exact: true }).click();
		await expect(quorum(chair)).toHaveAttribute('data-present', String(i + 1));
	}
	await expect(quorum(chair)).toHaveAttribute('data-reached', 'true');
	await expect(quorum(members[0])).toHaveAttribute('data-reached', 'true');

	// The list of speakers: two hands, the chair gives the floor to the first; the timer runs.
	await members[0].getByRole('button', { name: sq.raiseHand }).click();
	await members[1].getByRole('button', { name: sq.raiseHand }).click();
	await expect(chair.getByTestId('speakers').locator('ol li')).toHaveCount(2);
	await chair.getByRole('button', { name: sq.nextSpeaker }).click();
	await expect(members[1].getByTestId('speaking')).toContainText('Arben Krasniqi');
	await expect(members[1].getByTestId('speakers').locator('ol li')).toHaveCount(1);
	await expect(chair.getByRole('timer')).toContainText(/00:0[1-9]/);
	await shot(chair, 'chair-desktop-speakers');
	await shot(members[1], 'member-phone-speakers', members[1].getByTestId('speakers'));

	// The chair opens a yes/no vote on the current item; the members vote from their phones.
	await chair.getByText(sq.openVote).click();
	await chair.getByLabel(sq.voteTitle, { exact: true }).fill(MOTION);
	await chair.getByRole('button', { name: sq.openVoteSubmit }).click();
	const chairVote = chair.getByTestId('live-vote');
	await expect(chairVote).toHaveAttribute('data-status', 'open');
	await expect(participation(chair)).toHaveAttribute('data-participants', '0');

	// The wall: another member's screen on the projector view, following the same vote.
	const projector = await member(browser, 'member4@demo.test', PROJECTOR);
	await projector.goto(`/meetings/${id}/projector`);

	const choices = [sq.yes, sq.yes, sq.no];
	for (const [i, page] of members.entries()) {
		await expect(page.getByTestId('live-vote')).toBeVisible();
		await page.getByTestId('live-vote').getByRole('radio', { name: choices[i], exact: true }).check();
		if (i === 0) {
			await shot(page, 'member-phone-ballot', page.getByTestId('live-vote'));
			await expectAccessible(page);
		}
		await page.getByRole('button', { name: sq.cast }).click();
		await expect(page.getByTestId('receipt')).toBeVisible();
		await expect(participation(chair)).toHaveAttribute('data-participants', String(i + 1));
		await expect(projector.getByTestId('projector-participation')).toHaveAttribute('data-participants', String(i + 1));
	}
	await shot(members[0], 'member-phone-voted', members[0].getByTestId('receipt'));
	await shot(chair, 'chair-desktop-vote-open');
	await shot(projector, 'projector-vote-open');

	await chairVote.getByRole('button', { name: sq.closeVote }).click();
	await expect(chairVote).toHaveAttribute('data-status', 'closed');
	await expect(chairVote.getByTestId('result')).toHaveAttribute('data-outcome', 'passed');
	await expect(members[2].getByTestId('live-vote').getByTestId('result')).toHaveAttribute('data-outcome', 'passed');
	await expect(projector.getByTestId('projector-outcome')).toContainText(sq.passed);
	await shot(chair, 'chair-desktop-vote-closed');

	// Concluding the item writes its decisions into the minutes and moves to the next item.
	await chair.getByRole('button', { name: sq.conclude }).click();
	await expect(chair.getByTestId('current-item')).toContainText('Buxheti i rrjetit');
	await expect(members[0].getByTestId('current-item')).toContainText('Buxheti i rrjetit');

	chair.once('dialog', (d) => void d.accept());
	await chair.getByRole('button', { name: sq.end }).click();
	await expect(room(members[2])).toHaveAttribute('data-status', 'ended');

	const minutes = await chair.getByRole('link', { name: sq.minutes }).getAttribute('href');
	await chair.goto('/decisions');
	await expect(chair.getByText(MOTION).first()).toBeVisible();
	await chair.goto(minutes!);
	await expect(chair.locator('.ProseMirror')).toContainText(MOTION);
	await expect(chair.locator('.ProseMirror')).toContainText(sq.passed);

	for (const page of [...members, projector]) await page.context().close();
});
