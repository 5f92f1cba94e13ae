import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVoting, voteInput, makePeople, castBySocket, type Person } from './helpers/votes.js';
import type { Socket } from 'socket.io-client';
import { chamberFloor } from './helpers/chambers.js';
import { meetingInput } from './helpers/meetings.js';
import { getPage, postForm, type TestApp } from './helpers/app.js';
import { m } from '../../src/lib/paraglide/messages.js';

let app: TestApp;
let coordinator: Person;
let dispose: () => Promise<void>;
let socketOf: (p: Person) => Promise<Socket>;

beforeAll(async () => {
	({ app, coordinator, dispose, socketOf } = await startVoting(1));
});
afterAll(async () => dispose());

/** Text as the page writes it (Svelte escapes quotes and ampersands in text). */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const sq = { locale: 'sq' } as const;
const selected = (id: number) => new RegExp(`<option value="${id}" selected[^>]*>`);

describe('proxy pages', () => {
	it('give, refuse in words keeping the member picked, show the holder whom they hold for, and revoke, without script', async () => {
		const floor = await chamberFloor(app, 4, 0);
		const [giver, holder, other] = floor.people;
		const [outsider] = await makePeople(app, 1);
		const meetingId = await app.ctx.services.meetings.create(coordinator.auth, meetingInput({ title: 'Asambleja me prokura', groupId: floor.groupId }));
		const path = `/meetings/${meetingId}/proxy`;
		const nameOf = async (id: number) => (await app.ctx.db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirstOrThrow()).display_name;
		const holderName = await nameOf(holder.id);

		// The page offers the body's members by name, not the giver, not someone outside the body.
		const page = await (await getPage(app.url, path, giver.cookie)).text();
		expect(page).toContain(`<option value="${holder.id}"`);
		expect(page).not.toContain(`<option value="${giver.id}"`);
		expect(page).not.toContain(`<option value="${outsider.id}"`);
		expect((await getPage(app.url, path)).headers.get('location')).toMatch(/^\/login/);

		// Nobody picked: asked to choose. Someone outside the body (a forged id): the rule, and the pick kept.
		const empty = await postForm(app.url, `${path}?/give`, { holder: '' }, giver.cookie);
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain(html(m.prx_holder_required({}, sq)));
		const refused = await postForm(app.url, `${path}?/give`, { holder: String(outsider.id) }, giver.cookie);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain(html(m.proxy_holder_not_eligible({}, sq)));

		// The live room's meter counts represented members: giving and revoking send the room again.
		const changed: number[] = [];
		app.ctx.bus.on('meeting.changed', ({ meetingId: id }) => void (id === meetingId && changed.push(id)));
		const given = await postForm(app.url, `${path}?/give`, { holder: String(holder.id) }, giver.cookie);
		expect(given.status).toBe(200);
		const after = await given.text();
		expect(after).toContain(html(m.prx_given_done({}, sq)));
		expect(after).toContain(html(m.prx_given({ holder: holderName }, sq)));

		// A chain is refused in words, with the member picked still selected.
		const chain = await postForm(app.url, `${path}?/give`, { holder: String(giver.id) }, other.cookie);
		expect(chain.status).toBe(400);
		const chainPage = await chain.text();
		expect(chainPage).toContain(html(m.proxy_chain_holder_gave({}, sq)));
		expect(chainPage).toMatch(selected(giver.id));

		// The holder sees whom they hold for (and has no proxy of their own to give: no chains).
		const held = await (await getPage(app.url, path, holder.cookie)).text();
		expect(held).toMatch(new RegExp(`data-testid="proxies-held">(<!--\\[-->)?<li>${await nameOf(giver.id)}</li>`));
		expect(held).toContain(html(m.proxy_chain_giver_holds({}, sq)));

		// Only the giver revokes it.
		const proxyId = (await app.ctx.services.proxies.view(giver.auth, { meetingId })).given!.id;
		expect((await postForm(app.url, `${path}?/revoke`, { proxy: String(proxyId) }, holder.cookie)).status).toBe(404);
		const revoked = await postForm(app.url, `${path}?/revoke`, { proxy: String(proxyId) }, giver.cookie);
		expect(await revoked.text()).toContain(html(m.prx_revoked_done({}, sq)));
		expect((await app.ctx.services.proxies.view(giver.auth, { meetingId })).given).toBeNull();
		expect(changed).toHaveLength(2);
	});

	it('a vote’s proxy closes when it opens, and its giver is told on the bell when it was used', async () => {
		const floor = await chamberFloor(app, 3, 0);
		const [giver, holder] = floor.people;
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Prokura e votimit', eligibility: 'group', groupId: floor.groupId }));
		const path = `/votes/${voteId}/proxy`;
		expect(await (await getPage(app.url, `/votes/${voteId}`, giver.cookie)).text()).toContain(`href="${path}"`);
		expect((await postForm(app.url, `${path}?/give`, { holder: String(holder.id) }, giver.cookie)).status).toBe(200);
		await app.ctx.services.votes.open(coordinator.auth, voteId);
		const proxyId = (await app.ctx.services.proxies.view(giver.auth, { voteId })).given!.id;
		const late = await postForm(app.url, `${path}?/revoke`, { proxy: String(proxyId) }, giver.cookie);
		expect(late.status).toBe(409);
		expect(await late.text()).toContain(html(m.proxy_closed({}, sq)));

		// Used and closed: the giver is told on the bell who voted for them, and where; never the choice.
		expect(await castBySocket(await socketOf(holder), { voteId, ballot: { method: 'yes_no', choice: 'no' }, proxyFor: giver.id })).toMatchObject({ ok: true });
		await app.ctx.services.votes.close(coordinator.auth, voteId);
		await expect.poll(async () => (await app.ctx.services.notifications.list(giver.auth)).map((n) => [n.kind, n.voteId, n.read]), { timeout: 5000 }).toEqual([['proxy_used', voteId, false]]);
		const bell = await (await getPage(app.url, '/notifications', giver.cookie)).text();
		const holderName = (await app.ctx.db.selectFrom('users').select('display_name').where('id', '=', holder.id).executeTakeFirstOrThrow()).display_name;
		expect(bell).toContain(`href="/votes/${voteId}"`);
		expect(bell).toContain(html(m.prx_notification_used({ name: holderName, title: 'Prokura e votimit' }, sq)));
		// Mailed already when the vote closed: never again in a digest.
		await app.ctx.db.updateTable('users').set({ notify_email: 'digest' }).where('id', '=', giver.id).execute();
		const email = (await app.ctx.db.selectFrom('users').select('email').where('id', '=', giver.id).executeTakeFirstOrThrow()).email;
		const mailsTo = async () => (await app.ctx.db.selectFrom('outbox').select('subject').where('to_address', '=', email).execute()).map((r) => r.subject);
		expect(await mailsTo()).toEqual([m.proxy_mail_used_subject({ title: 'Prokura e votimit' }, sq)]);
		await app.ctx.services.notifications.sendDigests();
		expect(await mailsTo()).toHaveLength(1);
	});

	it('only coordinators set the cap, and a wrong number is said in words and kept', async () => {
		const [member] = await makePeople(app, 1);
		expect((await getPage(app.url, '/coordination/votes', member.cookie)).status).toBe(403);
		expect((await postForm(app.url, '/coordination/votes', { proxyCap: '5' }, member.cookie)).status).toBe(403);
		for (const wrong of ['', '2.5', '21', 'dy']) {
			const res = await postForm(app.url, '/coordination/votes', { proxyCap: wrong }, coordinator.cookie);
			expect(res.status).toBe(400);
			const text = await res.text();
			expect(text).toContain(html(m.proxy_cap_invalid({}, sq)));
			expect(text).toContain(`value="${wrong}"`);
		}
		expect(await app.ctx.services.proxies.cap(coordinator.auth)).toBe(2);
		try {
			const saved = await postForm(app.url, '/coordination/votes', { proxyCap: '3' }, coordinator.cookie);
			expect(await saved.text()).toContain(html(m.prx_settings_saved({}, sq)));
			expect(await app.ctx.services.proxies.cap(coordinator.auth)).toBe(3);
		} finally {
			await app.ctx.services.proxies.setCap(coordinator.auth, 2);
		}
	});
});
