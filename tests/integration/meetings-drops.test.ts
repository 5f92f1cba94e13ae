import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { LiveState } from '../../src/lib/shared/meetings.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { castBySocket, makePeople, memberSocket, personByEmail, voteInput, type Person } from './helpers/votes.js';

/**
 * A TCP relay between a phone and the server whose link can go silent: while dropped it forwards nothing and
 * closes nothing (as a phone losing its network), and data waiting on either side flows again when the link is
 * back, unless a side has given up on the connection by then.
 */
class FlakyLink {
	readonly server: net.Server;
	#down = false;
	#held: (() => void)[] = [];
	constructor(target: URL) {
		this.server = net.createServer((client) => {
			const upstream = net.connect(Number(target.port), target.hostname);
			const relay = (from: net.Socket, to: net.Socket) =>
				from.on('data', (chunk) => {
					if (this.#down) this.#held.push(() => to.writable && to.write(chunk));
					else if (to.writable) to.write(chunk);
				});
			relay(client, upstream);
			relay(upstream, client);
			// A side closing while the link is silent is not seen by the other until the link is back.
			const end = () => (this.#down ? this.#held.push(end) : (client.destroy(), upstream.destroy()));
			client.on('close', end).on('error', end);
			upstream.on('close', end).on('error', end);
		});
	}
	async listen(): Promise<string> {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
		return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
	}
	drop(): void {
		this.#down = true;
	}
	restore(): void {
		this.#down = false;
		for (const send of this.#held.splice(0)) send();
	}
}

let app: TestApp;
let chair: Person;
let member: Person;
let other: Person;
const open: Socket[] = [];

beforeAll(async () => {
	// Socket.IO's own timing (a ping every 25 s, 20 s to answer): a link silent for longer is given up on both sides.
	app = await startTestApp();
	chair = await personByEmail(app, 'coordinator@demo.test');
	[member, other] = await makePeople(app, 2);
});
afterAll(async () => {
	for (const s of open) s.disconnect();
	await app?.dispose();
});

const join = (s: Socket, meetingId: number) => new Promise<{ ok: boolean; state: LiveState }>((r) => s.emit('meeting:join', { meetingId }, r));

/**
 * A member's phone as the live room runs it: reconnects on its own, re-joins the room on every connect and keeps
 * the latest state it was sent.
 */
function phone(base: string, meetingId: number): { socket: Socket; latest: () => LiveState | null; connects: () => number } {
	const socket = io(base, { path: '/socket.io/', transports: ['websocket'], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000, extraHeaders: { cookie: member.cookie, origin: base } });
	open.push(socket);
	let latest: LiveState | null = null;
	let connects = 0;
	socket.on('connect', () => {
		connects++;
		void join(socket, meetingId).then((r) => r.ok && (latest = r.state));
	});
	socket.on('meeting:state', (s: LiveState) => (latest = s));
	return { socket, latest: () => latest, connects: () => connects };
}

async function dropFor(ms: number): Promise<void> {
	const { meetings } = app.ctx.services;
	const meetingId = await meetings.create(chair.auth, { title: `Drop ${ms}`, description: '', startsAt: Date.now(), endsAt: Date.now() + 3_600_000, place: 'Tiranë', onlineUrl: '', groupId: null, visibility: 'members', quorum: { kind: 'none' }, agenda: ['Një', 'Dy'], chairIds: [] });
	const chairSocket = await memberSocket(app.url, chair.cookie);
	const otherSocket = await memberSocket(app.url, other.cookie);
	open.push(chairSocket, otherSocket);
	await join(chairSocket, meetingId);
	await join(otherSocket, meetingId);
	const act = (s: Socket, action: object) => new Promise((r) => s.emit('meeting:act', { meetingId, action }, r));
	await act(chairSocket, { type: 'start' });
	const link = new FlakyLink(new URL(app.url));
	const p = phone(await link.listen(), meetingId);
	await expect.poll(() => p.latest()?.people.some((x) => x.id === member.id)).toBe(true);
	await act(p.socket, { type: 'check_in' });
	await act(otherSocket, { type: 'check_in' });
	const item = (await meetings.get(chair.auth, meetingId)).agenda[0];
	const voteId = await meetings.openVote(chair.auth, meetingId, item.id, voteInput({ title: 'Gjatë rënies' }));
	expect(await castBySocket(p.socket, { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: true });

	// The phone's network goes silent; meanwhile the room moves on.
	link.drop();
	await act(otherSocket, { type: 'raise_hand' });
	await act(chairSocket, { type: 'close_vote', voteId });
	await act(chairSocket, { type: 'set_item', itemId: (await meetings.get(chair.auth, meetingId)).agenda[1].id });
	await act(chairSocket, { type: 'give_floor' });
	await new Promise((r) => setTimeout(r, ms));
	link.restore();

	// Back: the phone shows what the server holds (presence, item, speakers, the vote closed) and its own ballot.
	await expect
		.poll(async () => JSON.stringify({ ...p.latest(), at: 0 }) === JSON.stringify({ ...(await meetings.state(chair.auth, meetingId)), at: 0 }), { timeout: 15_000, interval: 200 })
		.toBe(true);
	const back = p.latest()!;
	expect(back.currentItemId).not.toBe(item.id);
	expect(back.votes.find((v) => v.id === voteId)).toMatchObject({ status: 'closed', outcome: 'passed' });
	expect(back.speakers.map((s) => [s.userId, s.status])).toEqual([[other.id, 'speaking']]);
	expect(back.people.find((x) => x.id === member.id)).toMatchObject({ online: true, checkedIn: true });
	expect((await app.ctx.services.votes.get(member.auth, voteId)).me).toMatchObject({ voted: true, ballot: { method: 'yes_no', choice: 'yes' } });
	// 5 s: the connection outlived the silence. 3 minutes: both sides gave up on it, and the phone came back on a new,
	// re-authenticated connection. (30 s is either, depending on when the last ping was.)
	if (ms <= 5_000) expect(p.connects()).toBe(1);
	if (ms >= 60_000) expect(p.connects()).toBeGreaterThan(1);
	p.socket.disconnect();
	link.server.close();
}

describe('a dropped connection during a live vote', () => {
	it('comes back to the state of the server after 5 s', () => dropFor(5_000), 30_000);
	// 30 s and 3 minutes take that long: run with LONG_DROPS=1 (see the closing note of the meetings issue).
	it.runIf(process.env.LONG_DROPS)('comes back to the state of the server after 30 s', () => dropFor(30_000), 60_000);
	it.runIf(process.env.LONG_DROPS)('comes back to the state of the server after 3 minutes', () => dropFor(180_000), 240_000);
});
