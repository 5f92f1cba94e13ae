// Screenshot driver for two chambers (not committed): a seeded app in process, data made through the services.
import { chromium } from 'playwright-core';
import { startTestApp } from './tests/integration/helpers/app.js';
import { personByEmail, voteInput } from './tests/integration/helpers/votes.js';

const OUT = '/tmp/chb/shots';
const app = await startTestApp({ PORT: '4322', ORIGIN: 'http://127.0.0.1:4322' });
const url = 'http://127.0.0.1:4322';
const { votes, meetings } = app.ctx.services;
const coord = await personByEmail(app, 'coordinator@demo.test');
const chambers = { organisations: { quorum: { kind: 'share' as const, share: 0.5 }, threshold: 'simple' as const } };
const users = await app.ctx.db.selectFrom('users').select(['id', 'email']).where('status', '=', 'active').execute();
const people = await Promise.all(users.map((u) => personByEmail(app, u.email)));
const reps = await app.ctx.db.selectFrom('organisation_representatives').select(['organisation_id', 'user_id']).execute();

async function castAll(voteId: number, memberYes: number, orgYes: number) {
	let i = 0;
	for (const p of people) if (p.id !== coord.id || true) await votes.cast(p.auth, voteId, { ballot: { method: 'yes_no', choice: i++ < memberYes ? 'yes' : i % 3 === 0 ? 'abstain' : 'no' } }).catch(() => {});
	const done = new Set<number>();
	let j = 0;
	for (const r of reps) {
		if (done.has(r.organisation_id)) continue;
		done.add(r.organisation_id);
		const p = people.find((x) => x.id === r.user_id)!;
		await votes.cast(p.auth, voteId, { ballot: { method: 'yes_no', choice: j++ < orgYes ? 'yes' : 'no' }, organisationId: r.organisation_id }).catch((e) => console.log('org cast', e.message));
	}
}
const closed = await votes.create(coord.auth, voteInput({ title: 'Miratimi i statutit të ri të rrjetit', description: 'Statuti i ri ndan vendimet mes organizatave dhe anëtarëve individualë.', chambers }), {}, true);
await castAll(closed, 14, 3);
await votes.close(coord.auth, closed);
const open = await votes.create(coord.auth, voteInput({ title: 'Buxheti i festivalit 2027', chambers }), {}, true);

// A live meeting with a closed two-chamber vote, for the projector.
const now = Date.now();
const mid = await meetings.create(coord.auth, { title: 'Asambleja e përgjithshme', description: '', startsAt: now + 3600e3, endsAt: now + 7200e3, place: 'Korçë', onlineUrl: '', groupId: null, visibility: 'members', quorum: { kind: 'share', share: 0.5 }, agenda: ['Statuti', 'Buxheti'], chairIds: [] });
await meetings.act(coord.auth, mid, { type: 'start' } as never);
for (const p of people.slice(0, 12)) await meetings.act(p.auth, mid, { type: 'check_in' } as never).catch(() => {});
const item = (await meetings.get(coord.auth, mid)).agenda[0].id;
const mvote = await meetings.openVote(coord.auth, mid, item, voteInput({ title: 'Statuti i ri', chambers }));
await castAll(mvote, 5, 2);
await votes.close(coord.auth, mvote);
const mvote2 = await meetings.openVote(coord.auth, mid, item, voteInput({ title: 'Rregullorja e asamblesë', chambers }));
for (const p of people.slice(0, 4)) await votes.cast(p.auth, mvote2, { ballot: { method: 'yes_no', choice: 'yes' } }).catch(() => {});

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const langs = [
	['sq', 'coordinator@demo.test'],
	['en', 'member5@demo.test'],
	['el', 'member2@demo.test']
] as const;
for (const [lang, email] of langs) {
	const who = await personByEmail(app, email);
	for (const [kind, viewport] of [
		['desktop', { width: 1280, height: 900 }],
		['phone', { width: 390, height: 844 }]
	] as const) {
		const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
		const [name, value] = who.cookie.split('=');
		await ctx.addCookies([{ name, value, url }]);
		const page = await ctx.newPage();
		page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && console.log(lang, kind, m.type(), m.text()));
		await page.goto(`${url}/votes/${closed}`);
		await page.screenshot({ path: `${OUT}/result-${lang}-${kind}.png`, fullPage: true });
		await page.goto(`${url}/votes/${open}`);
		await page.screenshot({ path: `${OUT}/ballot-${lang}-${kind}.png`, fullPage: true });
		if (kind === 'desktop') {
			await page.goto(`${url}/decisions`);
			await page.screenshot({ path: `${OUT}/decisions-${lang}.png` });
			await page.goto(`${url}/meetings/${mid}/projector`);
			await page.waitForTimeout(800);
			await page.screenshot({ path: `${OUT}/projector-${lang}.png` });
		} else {
			await page.goto(`${url}/meetings/${mid}/live`);
			await page.waitForTimeout(800);
			await page.screenshot({ path: `${OUT}/live-${lang}-phone.png`, fullPage: true });
		}
		await ctx.close();
	}
}
await browser.close();
await app.dispose();
console.log('done');
