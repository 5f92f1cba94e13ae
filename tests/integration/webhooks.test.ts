import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { refusal } from './helpers/refusal.js';
import { receiver, type Receiver } from './helpers/webhook-receiver.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, personByEmail, voteInput, type Person } from './helpers/votes.js';
import { checkTarget, post } from '../../server/services/webhook-sender.js';
import { WEBHOOK_EVENTS } from '../../src/lib/shared/webhooks.js';

/** What a receiver must do with every delivery (README "Webhooks"): check the HMAC of "t.body" with the secret. */
function verify(header: string, body: string, secret: string): boolean {
	const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
	const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
	const given = Buffer.from(parts.v1 ?? '', 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until(check: () => boolean | Promise<boolean>, what: () => string, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`waited in vain for ${what()}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

let app: TestApp;
let ok: Receiver, failing: Receiver, hanging: Receiver;
let coordinator: Person, representative: Person, plain: Person;
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeAll(async () => {
	app = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_TIMEOUT_SECONDS: '1' });
	[ok, failing, hanging] = await Promise.all([receiver(200), receiver(500), receiver('hang')]);
	coordinator = await personByEmail(app, 'coordinator@demo.test');
	// Arben Krasniqi represents Vlora Art in the demo network.
	representative = await personByEmail(app, 'member1@demo.test');
	[plain] = await makePeople(app, 1);
});
afterAll(async () => {
	await app?.dispose();
	await Promise.all([ok, failing, hanging].map((r) => r?.close()));
});

const hooks = () => app.ctx.services.webhooks;
/** Every event recorded so far turned into deliveries. */
const settled = () => app.ctx.webhookFollower.drained();
const network = { kind: 'network' } as const;
const org = (slug: string) => ({ kind: 'organisation', slug }) as const;
const sent = (r: Receiver, type: string) => r.got.filter((g) => JSON.parse(g.body).type === type);

describe('who may register endpoints', () => {
	it('coordinators for the network and any organisation; a representative for their own only; a member for none', async () => {
		const input = { url: ok.url, events: ['vote.opened'] };
		expect((await refusal(hooks().register(plain.auth, network, input))).code).toBe('forbidden');
		expect((await refusal(hooks().register(plain.auth, org('vlora-art'), input))).code).toBe('forbidden');
		expect((await refusal(hooks().register(representative.auth, network, input))).code).toBe('forbidden');
		expect((await refusal(hooks().register(representative.auth, org('skena-8'), input))).code).toBe('forbidden');
		expect((await refusal(hooks().register(null, network, input))).code).toBe('unauthenticated');
		const own = await hooks().register(representative.auth, org('vlora-art'), input);
		expect(own.secret).toMatch(/^whsec_/);
		const other = await hooks().register(coordinator.auth, org('skena-8'), input);
		// A representative manages their organisation's endpoints and no other's; the page lists only their own.
		expect((await refusal(hooks().remove(representative.auth, other.id))).code).toBe('forbidden');
		expect((await refusal(hooks().sendTest(plain.auth, own.id))).code).toBe('forbidden');
		expect((await hooks().list(representative.auth, org('vlora-art'))).endpoints.map((e) => e.id)).toEqual([own.id]);
		// The coordinators' page lists every endpoint.
		expect((await hooks().list(coordinator.auth, network)).endpoints.map((e) => e.id)).toEqual(expect.arrayContaining([own.id, other.id]));
		await hooks().remove(representative.auth, own.id);
		await hooks().remove(coordinator.auth, other.id);
	});

	it('refuses bad URLs and no events with field problems, keeping nothing half made', async () => {
		const bad = async (url: string, events: string[] = ['vote.opened']) => (await refusal(hooks().register(coordinator.auth, network, { url, events }))).fields;
		expect(await bad('ftp://example.org/x')).toEqual({ url: 'hook_url_scheme' });
		expect(await bad('not a url')).toEqual({ url: 'hook_url_invalid' });
		expect(await bad('https://user:pw@example.org/')).toEqual({ url: 'hook_url_credentials' });
		expect(await bad(ok.url, [])).toEqual({ events: 'choose_one' });
		expect(await bad(ok.url, ['vote.stolen'])).toEqual({ events: 'choose_one' });
		expect((await hooks().list(coordinator.auth, network)).endpoints).toEqual([]);
	});
});

describe('deliveries', () => {
	it('sends the test event signed with the secret shown at registration, and logs the answer', async () => {
		const { id, secret } = await hooks().register(coordinator.auth, network, { url: ok.url, events: ['vote.opened'] });
		await hooks().sendTest(coordinator.auth, id);
		await app.ctx.webhookDeliverer.drained();
		const [ping] = sent(ok, 'ping');
		expect(ping).toBeTruthy();
		const header = String(ping.headers['kuvend-signature']);
		expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		expect(verify(header, ping.body, secret)).toBe(true);
		expect(verify(header, ping.body, 'whsec_wrong')).toBe(false);
		expect(verify(header, ping.body.replace('ping', 'pong'), secret)).toBe(false);
		const body = JSON.parse(ping.body);
		expect(body).toMatchObject({ type: 'ping', id: expect.stringMatching(/^evt_/), time: expect.any(String), data: expect.any(Object) });
		const [view] = (await hooks().list(coordinator.auth, network)).endpoints.filter((e) => e.id === id);
		expect(view.log[0]).toMatchObject({ eventType: 'ping', status: 200, error: null, eventId: body.id });
		await hooks().remove(coordinator.auth, id);
	});

	it('announces public events to the network endpoint, and nothing members-only', async () => {
		const { id } = await hooks().register(coordinator.auth, network, { url: ok.url, events: [...WEBHOOK_EVENTS] });
		const { votes, forumWriting, meetings } = app.ctx.services;
		// A thread in a public space, and one in a members-only space.
		const spaces = await app.ctx.db.selectFrom('categories').select(['slug', 'visibility']).where('group_id', 'is', null).execute();
		const publicSpace = spaces.find((s) => s.visibility === 'public')!.slug;
		const membersSpace = spaces.find((s) => s.visibility === 'members')!.slug;
		const open = await forumWriting.createThread(coordinator.auth, { category: publicSpace, title: 'Thirrje e hapur për festivalin', body: 'Për të gjithë.', tags: '' });
		const closed = await forumWriting.createThread(coordinator.auth, { category: membersSpace, title: 'Buxheti i brendshëm sekret', body: 'Vetëm për anëtarët.', tags: '' });
		// A public vote and a members-only one, opened and closed.
		const pub = await votes.create(coordinator.auth, voteInput({ title: 'Public charter', visibility: 'public' }), {}, true);
		const priv = await votes.create(coordinator.auth, voteInput({ title: 'Members-only budget line' }), {}, true);
		await votes.close(coordinator.auth, pub);
		await votes.close(coordinator.auth, priv);
		// A public meeting called, then its agenda changed; a members-only meeting called.
		const meetingInput = { description: '', startsAt: Date.now() + HOUR, endsAt: Date.now() + 2 * HOUR, place: 'Vlorë', onlineUrl: '', groupId: null, quorum: { kind: 'none' as const }, agenda: ['Hapja'], chairIds: [] };
		const meeting = await meetings.create(coordinator.auth, { ...meetingInput, title: 'Asambleja publike', visibility: 'public' });
		// The event carries the meeting as it is when it is queued: the change is its own event once the call is out.
		await settled();
		await meetings.addItem(coordinator.auth, meeting, { title: 'Pika e re' });
		await meetings.create(coordinator.auth, { ...meetingInput, title: 'Mbledhja e mbyllur', visibility: 'members' });
		await until(() => sent(ok, 'meeting.changed').length > 0 && sent(ok, 'decision.made').length > 0, () => `the public events (got ${ok.got.map((g) => JSON.parse(g.body).type)})`);
		await settled();
		await app.ctx.webhookDeliverer.drained();

		const types = ok.got.map((g) => JSON.parse(g.body)).filter((b) => b.type !== 'ping');
		// Two threads: the public one, and the debate thread of the public meeting's minutes. The members-only meeting's
		// minutes are a members-only draft: its thread, though filed in a public space, is for members only (its floor).
		expect(types.map((b) => b.type).sort()).toEqual(['decision.made', 'meeting.called', 'meeting.changed', 'thread.created', 'thread.created', 'vote.closed', 'vote.opened'].sort());
		expect(types.filter((b) => b.type.startsWith('meeting.')).map((b) => b.data.meeting.title)).toEqual(['Asambleja publike', 'Asambleja publike']);
		expect(types.find((b) => b.type === 'thread.created').data.thread).toMatchObject({ id: open, title: 'Thirrje e hapur për festivalin' });
		expect(types.find((b) => b.type === 'vote.closed').data.vote).toMatchObject({ id: pub, title: 'Public charter', outcome: expect.any(String) });
		expect(types.find((b) => b.type === 'decision.made').data.decision).toMatchObject({ voteId: pub });
		expect(types.find((b) => b.type === 'meeting.changed').data.meeting.agenda.map((a: { title: string }) => a.title)).toEqual(['Hapja', 'Pika e re']);
		// Nothing of what only members may read reached the hook, in any field.
		const everything = ok.got.map((g) => g.body).join('\n');
		for (const secretText of ['Buxheti i brendshëm sekret', 'Vetëm për anëtarët', 'Members-only budget line', 'Mbledhja e mbyllur']) expect(everything).not.toContain(secretText);
		expect(types.filter((b) => b.type.startsWith('vote.')).map((b) => b.data.vote.id)).toEqual([pub, pub]);
		expect(types.filter((b) => b.type === 'thread.created').map((b) => b.data.thread.id)).not.toContain(closed);
		await hooks().remove(coordinator.auth, id);
		ok.got.length = 0;
	});

	it("sends an organisation's endpoint only its own events: those its representatives started", async () => {
		const { id } = await hooks().register(representative.auth, org('vlora-art'), { url: ok.url, events: ['thread.created'] });
		const { forumWriting } = app.ctx.services;
		const space = (await app.ctx.db.selectFrom('categories').select('slug').where('visibility', '=', 'public').where('group_id', 'is', null).executeTakeFirstOrThrow()).slug;
		await forumWriting.createThread(representative.auth, { category: space, title: 'Nga Vlora Art', body: 'Tekst.', tags: '' });
		await forumWriting.createThread(coordinator.auth, { category: space, title: 'Nga koordinatorja', body: 'Tekst.', tags: '' });
		await settled();
		await app.ctx.webhookDeliverer.drained();
		expect(sent(ok, 'thread.created').map((g) => JSON.parse(g.body).data.thread.title)).toEqual(['Nga Vlora Art']);
		await hooks().remove(representative.auth, id);
		ok.got.length = 0;
	});

	it('cuts off an endpoint that never answers after the timeout, and logs it', async () => {
		const { id } = await hooks().register(coordinator.auth, network, { url: hanging.url, events: ['vote.opened'] });
		await hooks().sendTest(coordinator.auth, id);
		await app.ctx.webhookDeliverer.drained();
		expect(hanging.got).toHaveLength(1);
		const [view] = (await hooks().list(coordinator.auth, network)).endpoints.filter((e) => e.id === id);
		expect(view.log[0]).toMatchObject({ eventType: 'ping', status: null, error: 'timeout' });
		expect(view.waiting).toBe(1);
		await hooks().remove(coordinator.auth, id);
	});

	// Shown to fail without the fix, on SQLite and on PostgreSQL: the eight attempts out when the endpoint went were
	// logged against it and broke the log's foreign key (the run failed: "FOREIGN KEY constraint failed", "violates
	// foreign key constraint webhook_log_endpoint_id_fkey"); with the log held (holdEndpoint) but the queue not read
	// again (deliveryExists), the ninth delivery, read in the same batch, was still sent to the removed endpoint.
	it('lets an endpoint be removed while its deliveries are out: nothing more is sent, logged or kept for it', async () => {
		const held = await receiver('hang');
		const { id } = await hooks().register(coordinator.auth, network, { url: held.url, events: ['vote.opened'] });
		// Nine deliveries due only at `later`: the run below reads them in one batch and sends eight at once.
		const later = Date.now() + HOUR;
		const rows = Array.from({ length: 9 }, (_, i) => ({ endpoint_id: id, event_id: `evt_removed_${i}`, event_type: 'ping', subject: 'ping', body: '{}', created_at: Date.now(), next_attempt_at: later }));
		await app.ctx.db.insertInto('webhook_deliveries').values(rows).execute();
		const errors = vi.spyOn(app.ctx.logger, 'error');
		const run = app.ctx.webhookDeliverer.drained(later);
		await until(() => held.got.length === 8, () => `eight requests out (got ${held.got.length})`);
		await hooks().remove(coordinator.auth, id);
		await run;
		expect(held.got).toHaveLength(8);
		expect(errors).not.toHaveBeenCalled();
		errors.mockRestore();
		const left = (table: 'webhook_log' | 'webhook_deliveries') => app.ctx.db.selectFrom(table).select('id').where('endpoint_id', '=', id).execute();
		expect(await left('webhook_log')).toEqual([]);
		expect(await left('webhook_deliveries')).toEqual([]);
		await held.close();
	});

	it('retries a failing endpoint with backoff, turns it off after 24 hours of failures and tells who registered it', async () => {
		const { id } = await hooks().register(coordinator.auth, network, { url: failing.url, events: ['vote.opened'] });
		const deliverer = app.ctx.webhookDeliverer;
		const t0 = Date.now();
		await hooks().sendTest(coordinator.auth, id);
		await deliverer.drained(t0);
		expect(failing.got).toHaveLength(1);
		// Not again before the first backoff (a minute), then again after it.
		await deliverer.drained(t0 + 30_000);
		expect(failing.got).toHaveLength(1);
		await deliverer.drained(t0 + MIN + 1000);
		expect(failing.got).toHaveLength(2);
		const waits: number[] = [];
		let last = t0 + MIN + 1000;
		for (let i = 0; i < 40; i++) {
			const row = await app.ctx.db.selectFrom('webhook_deliveries').select(['next_attempt_at']).where('endpoint_id', '=', id).executeTakeFirstOrThrow();
			if (row.next_attempt_at === null) break;
			waits.push(row.next_attempt_at - last);
			last = row.next_attempt_at;
			await deliverer.drained(last);
		}
		// Doubling from two minutes, at most four hours apart.
		expect(waits.slice(0, 4)).toEqual([2 * MIN, 4 * MIN, 8 * MIN, 16 * MIN]);
		expect(Math.max(...waits)).toBe(4 * HOUR);
		const delivery = await app.ctx.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', id).executeTakeFirstOrThrow();
		expect(delivery.gave_up_at).not.toBeNull();
		expect(delivery.gave_up_at! - delivery.created_at).toBeLessThanOrEqual(24 * HOUR);
		// One more event a day after the failures began: the endpoint is turned off, and the page and a mail say so.
		await hooks().sendTest(coordinator.auth, id).catch(() => {});
		const beforeOff = failing.got.length;
		await deliverer.drained(t0 + 24 * HOUR + MIN);
		const [view] = (await hooks().list(coordinator.auth, network)).endpoints.filter((e) => e.id === id);
		expect(view.disabledAt).not.toBeNull();
		expect(view.disabledReason).toBe('failures');
		expect(failing.got.length).toBeGreaterThan(beforeOff);
		const mail = await app.ctx.db.selectFrom('outbox').selectAll().where('to_address', '=', 'coordinator@demo.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(mail.body).toContain(failing.url);
		expect(mail.body).toContain('/coordination/webhooks');
		// Turned off: nothing more is sent, and the test event asks for it to be turned on first.
		expect((await refusal(hooks().sendTest(coordinator.auth, id))).code).toBe('conflict');
		await hooks().enable(coordinator.auth, id);
		const [on] = (await hooks().list(coordinator.auth, network)).endpoints.filter((e) => e.id === id);
		expect(on).toMatchObject({ disabledAt: null, consecutiveFailures: 0, failingSince: null });
		await hooks().remove(coordinator.auth, id);
	});

	it('withdraws a waiting delivery whose subject stopped being public before it went out', async () => {
		const { id } = await hooks().register(coordinator.auth, network, { url: failing.url, events: ['draft.frozen'] });
		const { drafts } = app.ctx.services;
		const draftId = await drafts.create(coordinator.auth, { title: 'Karta e rrjetit', summary: '', group: '', field: 'cultural-policy', visibility: 'public' });
		const before = failing.got.length;
		await drafts.setStatus(coordinator.auth, draftId, 'frozen');
		await settled();
		await app.ctx.webhookDeliverer.drained();
		expect(failing.got.length).toBe(before + 1);
		const waiting = () => app.ctx.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id).where('next_attempt_at', 'is not', null).execute();
		expect(await waiting()).toHaveLength(1);
		// Narrowed to members while the retry waits: the retry is not made. Shown to fail without the guard (the
		// deliverer's stillPublic check skipped: the retry went out with the draft's title).
		await drafts.setVisibility(coordinator.auth, draftId, 'members');
		await app.ctx.webhookDeliverer.drained(Date.now() + 10 * MIN);
		expect(failing.got.length).toBe(before + 1);
		expect(await waiting()).toHaveLength(0);
		await hooks().remove(coordinator.auth, id);
	});

	it('keeps the delivery log bounded', async () => {
		const { id } = await hooks().register(coordinator.auth, network, { url: ok.url, events: ['vote.opened'] });
		for (let i = 0; i < 110; i++) await hooks().sendTest(coordinator.auth, id);
		await app.ctx.webhookDeliverer.drained();
		const { n } = await app.ctx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('endpoint_id', '=', id).executeTakeFirstOrThrow();
		expect(Number(n)).toBe(100);
		await hooks().remove(coordinator.auth, id);
		ok.got.length = 0;
	});
});

describe('addresses a webhook may not reach (WEBHOOKS_ALLOW_PRIVATE unset)', () => {
	let strict: TestApp;
	beforeAll(async () => {
		strict = await startTestApp();
	});
	afterAll(async () => {
		await strict?.dispose();
	});

	// Shown to fail without the guard: with isForbiddenAddress (server/domain/webhooks.ts) answering false, every one
	// of these registrations succeeds and the delivery below reaches the loopback receiver.
	it('refuses loopback, private, link-local, unique-local, CGNAT, multicast and unspecified hosts at registration', async () => {
		const c = await personByEmail(strict, 'coordinator@demo.test');
		const port = new URL(ok.url).port;
		for (const url of [
			ok.url,
			`http://localhost:${port}/hook`,
			'http://10.1.2.3/',
			'http://172.20.0.1/',
			'http://192.168.1.10/',
			'http://169.254.169.254/latest/meta-data/',
			'http://100.64.0.1/',
			'http://0.0.0.0/',
			'http://224.0.0.1/',
			'http://[::1]/',
			'http://[fd00::1]/',
			'http://[fe80::1]/',
			'http://[::ffff:127.0.0.1]/',
			'http://[::]/',
			'http://2130706433/'
		]) {
			const r = await refusal(strict.ctx.services.webhooks.register(c.auth, network, { url, events: ['vote.opened'] }));
			expect([url, r.fields]).toEqual([url, { url: 'hook_url_private' }]);
		}
	});

	it('checks again at delivery: an endpoint whose address became private is not reached', async () => {
		const c = await personByEmail(strict, 'coordinator@demo.test');
		// As if DNS had answered a public address at registration and loopback now (rebinding).
		const { id } = await strict.ctx.db
			.insertInto('webhook_endpoints')
			.values({ organisation_id: null, url: ok.url, secret: 'whsec_x', events: '["vote.opened"]', created_by: c.id, created_at: Date.now() })
			.returning('id')
			.executeTakeFirstOrThrow();
		const before = ok.got.length;
		await strict.ctx.services.webhooks.sendTest(c.auth, id);
		await strict.ctx.webhookDeliverer.drained();
		expect(ok.got.length).toBe(before);
		const [view] = (await strict.ctx.services.webhooks.list(c.auth, network)).endpoints.filter((e) => e.id === id);
		expect(view.log[0]).toMatchObject({ status: null, error: 'hook_url_private' });
	});

	it('connects to the address it checked, never to what a second lookup would answer', async () => {
		// A name that resolves nowhere: the request still reaches the checked address, with the name as its Host.
		const target = await checkTarget('http://rebind.kuvend.invalid/hook', true, async () => [{ address: '127.0.0.1', family: 4 }]);
		const pinned = { ...target, url: new URL(`http://rebind.kuvend.invalid:${new URL(ok.url).port}/hook`) };
		const before = ok.got.length;
		expect(await post(pinned, '{}', {}, 2000)).toEqual({ status: 200, error: null });
		expect(ok.got.length).toBe(before + 1);
		expect(ok.got.at(-1)!.headers.host).toBe(`rebind.kuvend.invalid:${new URL(ok.url).port}`);
		// A name whose addresses include a private one is refused whole.
		await expect(checkTarget('http://mixed.example/', false, async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }])).rejects.toMatchObject({ code: 'hook_url_private' });
	});
});
