import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startVoting, makePeople, type Person } from './helpers/votes.js';
import { chamberFloor } from './helpers/chambers.js';
import { meetingInput, stateWhere } from './helpers/meetings.js';
import { connection, getPage, postForm, type TestApp } from './helpers/app.js';
import type { LiveState } from '../../src/lib/shared/meetings.js';
import { VISITOR_HANDSHAKE } from '../../src/lib/shared/realtime.js';
import { m } from '../../src/lib/paraglide/messages.js';

let app: TestApp;
let coordinator: Person;
let socketOf: (p: Person) => Promise<Socket>;
let dispose: () => Promise<void>;

beforeAll(async () => {
	({ app, coordinator, socketOf, dispose } = await startVoting(1));
});
afterAll(async () => dispose());

const join = (s: Socket, meetingId: number) => new Promise<{ ok: boolean; state?: LiveState }>((r) => s.emit('meeting:join', { meetingId }, r));
/** Text as the page writes it (Svelte escapes quotes and ampersands in text). */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const sq = { locale: 'sq' } as const;

describe('proxies in the live room', () => {
	it('shows the giver to whom they gave and the holder whom they represent, live, and lets the giver revoke from the room', async () => {
		const floor = await chamberFloor(app, 4, 0);
		const [giver, holder, bystander] = floor.people;
		const meetingId = await app.ctx.services.meetings.create(coordinator.auth, meetingInput({ title: 'Dhoma me prokura', groupId: floor.groupId, visibility: 'public' }));
		const [giverSocket, holderSocket] = await Promise.all([socketOf(giver), socketOf(holder)]);
		expect((await join(giverSocket, meetingId)).state?.proxies).toEqual([]);
		await join(holderSocket, meetingId);

		// Not checked in and eligible: the room offers the proxy page; someone outside the body is not offered it.
		const path = `/meetings/${meetingId}/live`;
		const before = await (await getPage(app.url, path, giver.cookie)).text();
		expect(before).toContain(`href="/meetings/${meetingId}/proxy"`);
		const [outsider] = await makePeople(app, 1);
		expect(await (await getPage(app.url, path, outsider.cookie)).text()).not.toContain('data-testid="give-proxy"');

		// Given through the proxy service: both tabs hear the room again, naming giver and holder. Listened for before
		// the giving: the room's new state may arrive while the test still awaits something else (the names query, on
		// PostgreSQL under load), and a state heard before the listener is missed for good.
		const heard = Promise.all([stateWhere(giverSocket, (s) => s.proxies.length === 1), stateWhere(holderSocket, (s) => s.proxies.length === 1)]);
		const proxyId = await app.ctx.services.proxies.give(giver.auth, { meetingId }, holder.id);
		const names = await app.ctx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [giver.id, holder.id]).execute();
		const name = (id: number) => names.find((n) => n.id === id)!.display_name;
		const expected = [{ id: proxyId, giverId: giver.id, giver: name(giver.id), holderId: holder.id, holder: name(holder.id) }];
		const [seenByGiver, seenByHolder] = await heard;
		expect(seenByGiver.proxies).toEqual(expected);
		expect(seenByHolder.proxies).toEqual(expected);

		// The pages say it in words: the giver to whom (with a way to revoke), the holder for whom they vote.
		const giverPage = await (await getPage(app.url, path, giver.cookie)).text();
		expect(giverPage).toContain(html(m.prx_given({ holder: name(holder.id) }, sq)));
		expect(giverPage).toContain('action="?/revoke"');
		expect(giverPage).not.toContain('data-testid="give-proxy"');
		expect(await (await getPage(app.url, path, holder.cookie)).text()).toContain(html(m.live_proxy_you_hold({ names: name(giver.id) }, sq)));

		// A visitor of this public meeting follows the room but is not told who holds whose proxy. Without the guard
		// (server/domain/meetings.ts roomForVisitors's `proxies: []`) this test was run and failed: the visitor got both names.
		const visitor = io(app.url, { path: '/socket.io/', transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: app.url }, auth: { ...VISITOR_HANDSHAKE } });
		expect(await connection(visitor)).toBe('connected');
		const seenByVisitor = await join(visitor, meetingId);
		visitor.disconnect();
		expect(seenByVisitor).toMatchObject({ ok: true });
		expect(seenByVisitor.state!.proxies).toEqual([]);
		expect((await app.ctx.services.meetings.state(null, meetingId)).proxies).toEqual([]);

		// Only the giver revokes it, from the room: another member's post is refused and changes nothing.
		const forged = await postForm(app.url, `${path}?/revoke`, { proxy: String(proxyId) }, bystander.cookie);
		expect(forged.status).toBe(404);
		expect((await app.ctx.services.meetings.state(giver.auth, meetingId)).proxies).toHaveLength(1);
		const emptied = stateWhere(holderSocket, (s) => s.proxies.length === 0);
		const revoked = await postForm(app.url, `${path}?/revoke`, { proxy: String(proxyId) }, giver.cookie);
		expect(revoked.status).toBe(200);
		expect(await revoked.text()).toContain(html(m.prx_revoked_done({}, sq)));
		expect((await emptied).proxies).toEqual([]);

		// Once the meeting has ended a proxy can no longer be revoked, and the room says why in words.
		const again = await app.ctx.services.proxies.give(giver.auth, { meetingId }, holder.id);
		await app.ctx.services.meetings.act(coordinator.auth, meetingId, { type: 'start' });
		await app.ctx.services.meetings.act(coordinator.auth, meetingId, { type: 'end' });
		const late = await postForm(app.url, `${path}?/revoke`, { proxy: String(again) }, giver.cookie);
		expect(late.status).toBe(409);
		expect(await late.text()).toContain(html(m.proxy_closed({}, sq)));
		expect((await app.ctx.services.meetings.state(giver.auth, meetingId)).proxies).toHaveLength(1);
	});
});
