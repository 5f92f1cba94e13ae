import { parse } from 'devalue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, personByEmail, type Person } from './helpers/votes.js';
import { meetingInput } from './helpers/meeting-input.js';

let app: TestApp;
let base: string;
let coordinator: Person;
let member: Person;
let publicMeeting: number;
let membersMeeting: number;
let groupMeeting: number;


/** The calendar at a link: its status and the meeting ids it lists (UID meeting-<id>@host). */
async function calendarAt(address: string): Promise<{ status: number; ids: number[]; text: string }> {
	const res = await fetch(address);
	const text = await res.text();
	return { status: res.status, ids: [...text.matchAll(/^UID:meeting-(\d+)@/gm)].map((m) => Number(m[1])), text };
}

/** Makes a new link as the settings page does (its form action), returning the address shown once. */
async function renewByForm(cookie: string): Promise<string> {
	const res = await fetch(`${base}/settings/calendar?/renew`, {
		method: 'POST',
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: base, 'content-type': 'application/x-www-form-urlencoded', cookie },
		body: ''
	});
	const json = (await res.json()) as { type: string; data: string };
	expect(json.type).toBe('success');
	return (parse(json.data) as { address: string }).address;
}

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	coordinator = await personByEmail(app, 'coordinator@demo.test');
	[member] = await makePeople(app, 1);
	const s = app.ctx.services;
	const arta = (await app.ctx.db.selectFrom('groups').select('id').where('slug', '=', 'klasteri-arta').executeTakeFirstOrThrow()).id;
	await app.ctx.db.insertInto('group_members').values({ group_id: arta, user_id: member.id, role: 'member', joined_at: Date.now() }).execute();
	publicMeeting = await s.meetings.create(coordinator.auth, meetingInput({ title: 'Takim publik' }));
	membersMeeting = await s.meetings.create(coordinator.auth, meetingInput({ title: 'Vetëm për anëtarët', visibility: 'members' }));
	groupMeeting = await s.meetings.create(coordinator.auth, meetingInput({ title: 'Klasteri i Artës', visibility: 'members', groupId: arta }));
});
afterAll(async () => app?.dispose());

describe("a member's calendar link", () => {
	it('is made in /settings/calendar, shown once, stored only as a hash, and lists what the member may attend', async () => {
		const address = await renewByForm(member.cookie);
		expect(address).toMatch(new RegExp(`^${base}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
		const token = address.slice(address.lastIndexOf('/') + 1, -'.ics'.length);
		const stored = await app.ctx.db.selectFrom('calendar_links').selectAll().where('user_id', '=', member.id).executeTakeFirstOrThrow();
		expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain(token);
		// The settings page says a link exists, never the link itself.
		const settings = await (await getPage(base, '/settings/calendar', member.cookie)).text();
		expect(settings).not.toContain(token);
		expect(settings).toContain('data-testid="calendar-status"');

		const cal = await calendarAt(address);
		expect(cal.status).toBe(200);
		expect(cal.ids).toEqual(expect.arrayContaining([publicMeeting, membersMeeting, groupMeeting]));
		// The same meetings the member's own meetings page lists.
		const listed = (await app.ctx.services.meetings.list(member.auth)).map((m) => m.id);
		expect(cal.ids.filter((id) => id >= publicMeeting).sort()).toEqual(listed.filter((id) => id >= publicMeeting).sort());
		// The public feed stays as it is: public meetings only.
		const publicFeed = await calendarAt(`${base}/meetings/calendar.ics`);
		expect(publicFeed.ids).toContain(publicMeeting);
		expect(publicFeed.ids).not.toContain(membersMeeting);
		const lastUsed = await app.ctx.db.selectFrom('calendar_links').select('last_used_at').where('user_id', '=', member.id).executeTakeFirstOrThrow();
		expect(lastUsed.last_used_at).not.toBeNull();
	});

	it('stops working when a new one is made or it is revoked', async () => {
		const first = await renewByForm(member.cookie);
		const second = await renewByForm(member.cookie);
		expect((await calendarAt(first)).status).toBe(404);
		expect((await calendarAt(second)).status).toBe(200);
		await app.ctx.services.calendarLinks.revoke(member.auth);
		expect((await calendarAt(second)).status).toBe(404);
		expect(await app.ctx.services.calendarLinks.status(member.auth)).toBeNull();
	});

	// Shown to fail without its guard: with the member's status check removed from CalendarLinksService.feed
	// (`|| !isActiveMember(toActor(user))`), the suspended member's link went on answering (200) instead of stopping.
	it("stops for a suspended member, and lists again the meetings their page would once they are reinstated", async () => {
		const address = `${base}/calendar/${await app.ctx.services.calendarLinks.renew(member.auth)}.ics`;
		await app.ctx.db.updateTable('users').set({ status: 'suspended' }).where('id', '=', member.id).execute();
		try {
			expect((await calendarAt(address)).status).toBe(404);
		} finally {
			await app.ctx.db.updateTable('users').set({ status: 'active' }).where('id', '=', member.id).execute();
		}
		expect((await calendarAt(address)).ids).toContain(membersMeeting);
	});

	it("follows the meeting pages' own check at every fetch: a group left changes nothing the page would not", async () => {
		const address = `${base}/calendar/${await app.ctx.services.calendarLinks.renew(member.auth)}.ics`;
		const pageSees = async (id: number) => (await getPage(base, `/meetings/${id}`, member.cookie)).status === 200;
		expect((await calendarAt(address)).ids.includes(groupMeeting)).toBe(await pageSees(groupMeeting));
		await app.ctx.services.groups.remove(coordinator.auth, 'klasteri-arta', member.id);
		// Members-only meetings, a group's too, are open to every active member (server/domain/meetings.ts canSeeMeeting):
		// the calendar answers as the page does, whatever that rule is.
		expect((await calendarAt(address)).ids.includes(groupMeeting)).toBe(await pageSees(groupMeeting));
		// A role change that takes members-only meetings away (a member made an applicant again) takes them from the feed.
		await app.ctx.db.updateTable('users').set({ status: 'applicant' }).where('id', '=', member.id).execute();
		try {
			expect((await calendarAt(address)).status).toBe(404);
		} finally {
			await app.ctx.db.updateTable('users').set({ status: 'active' }).where('id', '=', member.id).execute();
		}
	});

	it('answers any malformed or unknown link with 404, never a 500', async () => {
		for (const path of ['/calendar/x.ics', `/calendar/${'a'.repeat(43)}.ics`, `/calendar/${'a'.repeat(5000)}.ics`, '/calendar/..%2F..%2Fetc.ics']) {
			expect((await fetch(base + path)).status).toBe(404);
		}
		// A path that does not decode is refused before any route (400).
		expect((await fetch(`${base}/calendar/%00%ff.ics`)).status).toBe(400);
	});

	it('is only for signed-in active members', async () => {
		expect((await getPage(base, '/settings/calendar')).status).toBe(303);
		await expect(app.ctx.services.calendarLinks.renew(null)).rejects.toMatchObject({ code: 'unauthenticated' });
	});
});

// Last: one process has one app context, and this second app (standard limits) takes it over.
describe('fetches per link', () => {
	it('are limited: a calendar app polling is far below, a loop is refused with 429 and Retry-After', async () => {
		const strict = await startTestApp({ RATE_LIMITS: 'standard' });
		try {
			const [someone] = await makePeople(strict, 1);
			const address = `${strict.url}/calendar/${await strict.ctx.services.calendarLinks.renew(someone.auth)}.ics`;
			const other = `${strict.url}/calendar/${await strict.ctx.services.calendarLinks.renew((await makePeople(strict, 1))[0].auth)}.ics`;
			for (let i = 0; i < 30; i++) expect((await fetch(address)).status).toBe(200);
			const refused = await fetch(address);
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
			// Per link: another member's calendar is not held up.
			expect((await fetch(other)).status).toBe(200);
		} finally {
			await strict.dispose();
		}
	});
});
