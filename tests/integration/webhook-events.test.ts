import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { sharingNodeConfig, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { personByEmail, type Person } from './helpers/votes.js';
import { receiver, type Receiver } from './helpers/webhook-receiver.js';

/**
 * The events webhooks announce are recorded in the transaction of the change (webhook_events) and turned into
 * deliveries from there: committed with the change or not at all, and kept through a stop until they are queued.
 */

const HOUR = 60 * 60 * 1000;

let app: TestApp;
let ok: Receiver;
let coordinator: Person;
let space: string;

beforeAll(async () => {
	app = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_TIMEOUT_SECONDS: '1' });
	ok = await receiver(200);
	coordinator = await personByEmail(app, 'coordinator@demo.test');
	space = (await app.ctx.db.selectFrom('categories').select('slug').where('visibility', '=', 'public').where('group_id', 'is', null).executeTakeFirstOrThrow()).slug;
});
afterAll(async () => {
	await app?.dispose();
	await ok?.close();
});

const titlesSent = () => ok.got.map((g) => JSON.parse(g.body)).filter((b) => b.type === 'thread.created').map((b) => b.data.thread.title as string);
const waiting = async (running: RunningApp = app) => (await running.ctx.db.selectFrom('webhook_events').selectAll().execute()).length;
const everythingDone = async (running: RunningApp = app) => {
	await running.ctx.webhookFollower.drained();
	await running.ctx.webhookDeliverer.drained();
};

describe('webhook events recorded with their change', () => {
	beforeAll(async () => {
		// The demo seed's events, taken off unread at the first pass (no endpoint existed).
		await app.ctx.webhookFollower.drained();
	});

	it('records nothing and sends nothing when the change rolls back', async () => {
		const { id } = await app.ctx.services.webhooks.register(coordinator.auth, { kind: 'network' }, { url: ok.url, events: ['thread.created'] });
		// The last write of the thread's transaction fails, after the event was written in it. Shown to fail without the
		// guard (on PostgreSQL, with the event written through the pool, outside the transaction: the row stayed behind).
		vi.spyOn(app.ctx.services.notifications, 'forPost').mockRejectedValueOnce(new Error('disk full'));
		await expect(app.ctx.services.forumWriting.createThread(coordinator.auth, { category: space, title: 'Fija që nuk u shkrua', body: 'Tekst.', tags: '' })).rejects.toThrow('disk full');
		expect(await waiting()).toBe(0);
		await everythingDone();
		expect(await app.ctx.db.selectFrom('threads').select('id').where('title', '=', 'Fija që nuk u shkrua').execute()).toEqual([]);
		expect(await app.ctx.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id).execute()).toEqual([]);
		expect(ok.got).toEqual([]);
		// The same change committed is announced, and its event is gone from the table once queued.
		await app.ctx.services.forumWriting.createThread(coordinator.auth, { category: space, title: 'Fija që u shkrua', body: 'Tekst.', tags: '' });
		await everythingDone();
		expect(titlesSent()).toEqual(['Fija që u shkrua']);
		expect(await waiting()).toBe(0);
		await app.ctx.services.webhooks.remove(coordinator.auth, id);
		ok.got.length = 0;
	});

	it('drops, unannounced, an event that waited longer than the retry window', async () => {
		const { id } = await app.ctx.services.webhooks.register(coordinator.auth, { kind: 'network' }, { url: ok.url, events: ['thread.created'] });
		const threadId = await app.ctx.services.forumWriting.createThread(coordinator.auth, { category: space, title: 'Fija e vonuar', body: 'Tekst.', tags: '' });
		await everythingDone();
		// As if its node had been down for a day: the thread was announced once, and the day-old event is not. Shown to
		// fail without the guard (the follower's check of the oldest event's age skipped: the thread was announced twice).
		await app.ctx.db.insertInto('webhook_events').values({ type: 'thread.created', subject_id: threadId, created_at: Date.now() - 25 * HOUR }).execute();
		await everythingDone();
		expect(titlesSent()).toEqual(['Fija e vonuar']);
		expect(await waiting()).toBe(0);
		await app.ctx.services.webhooks.remove(coordinator.auth, id);
		ok.got.length = 0;
	});
});

describe('an event recorded but not yet queued when the server stopped', () => {
	let first: TestApp;
	let second: RunningApp | undefined;
	beforeAll(async () => {
		first = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_TIMEOUT_SECONDS: '1' });
	});
	afterAll(async () => {
		await second?.stop();
		await first?.dispose();
	});

	// Fails on the code before the events were recorded (the bus listener queued them after the commit): the event
	// heard by nobody was lost, and after the restart the receiver waited in vain.
	it('is delivered after the next start', async () => {
		const c = await personByEmail(first, 'coordinator@demo.test');
		await first.ctx.services.webhooks.register(c.auth, { kind: 'network' }, { url: ok.url, events: ['thread.created'] });
		// The process ends right after the commit: nothing that runs after it (the domain events) happens.
		const silenced = vi.spyOn(first.ctx.bus, 'emit').mockImplementation(() => undefined);
		await first.ctx.services.forumWriting.createThread(c.auth, { category: space, title: 'Fija para ndalimit', body: 'Tekst.', tags: '' });
		silenced.mockRestore();
		await first.stop();
		expect(ok.got).toEqual([]);
		second = await startApp(first.config);
		await expect.poll(titlesSent, { timeout: 5000 }).toEqual(['Fija para ndalimit']);
		expect(await waiting(second)).toBe(0);
		ok.got.length = 0;
	});
});

// Under `npm run test:pg`: a second node on the same PostgreSQL database and Redis, which does not hold the lease.
describe.runIf(process.env.KUVEND_TEST_POSTGRES && process.env.KUVEND_TEST_REDIS)('an event recorded on a node without the lease', () => {
	let other: (RunningApp & { config: Config }) | undefined;
	const dir = tempDir('kuvend-node-');
	beforeAll(async () => {
		const config = sharingNodeConfig(dir, { database: app.config.databaseUrl!, redisUrl: app.config.redisUrl!, prefix: app.config.redisPrefix }, { WEBHOOKS_ALLOW_PRIVATE: '1' });
		other = Object.assign(await startApp(config), { config });
	});
	afterAll(async () => {
		await other?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	// Shown to fail without the wake-up told across nodes (webhooks.recorded left out of EVERY_NODE_EVENTS): the node
	// with the lease found the event only at its quarter-minute pass, after this test had stopped waiting (it would
	// pass if that pass happened to fall within these three seconds: one run in five).
	it('is queued by the node holding the lease at once', async () => {
		expect([app.ctx.leadership.held, other!.ctx.leadership.held]).toEqual([true, false]);
		const { id } = await app.ctx.services.webhooks.register(coordinator.auth, { kind: 'network' }, { url: ok.url, events: ['thread.created'] });
		const c = await personByEmail(other!, 'coordinator@demo.test');
		await other!.ctx.services.forumWriting.createThread(c.auth, { category: space, title: 'Fija nga nyja tjetër', body: 'Tekst.', tags: '' });
		await expect.poll(titlesSent, { timeout: 3000 }).toEqual(['Fija nga nyja tjetër']);
		await app.ctx.services.webhooks.remove(coordinator.auth, id);
		ok.got.length = 0;
	});
});
