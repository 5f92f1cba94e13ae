import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { connectSocket, connection, postForm, signIn, spawnServer, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { withDatabaseOf } from './helpers/database.js';
import { provider, synced, writeParagraphs } from './helpers/yjs.js';
import { memberSocket, personByEmail } from './helpers/votes.js';
import { YJS_CLOSE } from '../../src/lib/shared/realtime.js';

const dirs: string[] = [];
/** Servers this file started, stopped for good if a failed test left one running. */
const servers: ChildProcess[] = [];
afterAll(() => {
	for (const child of servers) if (child.exitCode === null) child.kill('SIGKILL');
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokens = (doc: Y.Doc) => doc.getXmlFragment('default').toArray().map((p) => (p as Y.XmlElement).get(0).toString());

type Answer = { ok: true } | { ok: false; code: string };
/** A cast's answer, or 'unanswered' when none comes (the connection closed under it). */
function cast(socket: Socket, payload: object): Promise<Answer | 'unanswered'> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve('unanswered'), 5000);
		socket.emit('vote:cast', payload, (res: Answer) => {
			clearTimeout(timer);
			resolve(res);
		});
	});
}

describe('a stop drains (SIGTERM to the real server)', () => {
	// Seen to fail without the drain: with RunningApp.stop as it was (sockets closed at once), the casts in flight
	// got no answer (4 'unanswered'); with Yjs closing as before, every editor's first close code was 1001.
	it('answers every cast in flight (stored if taken, else refused as restarting), keeps every relayed edit, and tells every client first', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const env = { PORT: '0', DATA_DIR: dir, RATE_LIMITS: 'relaxed', NODE_ENV: 'test' };
		let server = spawnServer(env);
		servers.push(server.child);
		let url = await server.url;
		// The open vote on the amendment, where members 1–4 have voted: each changes their ballot again and again.
		const { voteId, voters } = await withDatabaseOf(dir, async (db) => ({
			voteId: (await db.selectFrom('votes').select('id').where('title', 'like', 'A e pranojmë ndryshimin%').executeTakeFirstOrThrow()).id,
			voters: await Promise.all(
				['member1', 'member2', 'member3', 'member4'].map(async (m) => {
					const { id } = await db.selectFrom('users').select('id').where('email', '=', `${m}@demo.test`).executeTakeFirstOrThrow();
					return { email: `${m}@demo.test`, id };
				})
			)
		}));

		const cookies = await Promise.all(voters.map((v) => signIn(url, v.email)));
		const sockets = await Promise.all(cookies.map((c) => memberSocket(url, c)));
		const heard = sockets.map((s) => {
			const events: string[] = [];
			s.on('server:restarting', () => events.push('restarting'));
			s.on('disconnect', () => events.push('disconnect'));
			return events;
		});

		const created = await postForm(url, '/drafts/new', { title: 'Teksti gjatë ndalimit', summary: '', group: '', field: 'performing-arts', visibility: 'members' }, cookies[0]);
		const name = `draft:${created.headers.get('location')!.split('/').pop()}`;
		const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
		const providers = docs.map((d, i) => provider(url, d, name, cookies[i]));
		await Promise.all(providers.map(synced));
		const firstClose = providers.map((p) => {
			const seen: { code: number | null } = { code: null };
			p.on('connection-close', (event: CloseEvent | null) => void (seen.code ??= event?.code ?? 0));
			return seen;
		});

		// Each voter casts one ballot after another (yes, no, yes, …) until the server says it is restarting.
		const lastTaken = new Map<number, string>();
		const answers: (Answer | 'unanswered')[] = [];
		let stopped = false;
		const voting = voters.map(async (v, i) => {
			for (let n = 0; !stopped || heard[i].length === 0; n++) {
				const choice = n % 2 ? 'no' : 'yes';
				const answer = await cast(sockets[i], { voteId, ballot: { method: 'yes_no', choice }, replace: true });
				answers.push(answer);
				if (answer !== 'unanswered' && answer.ok) lastTaken.set(v.id, choice);
				if (answer === 'unanswered' || !answer.ok || heard[i].includes('restarting')) return;
			}
		});
		let typing = true;
		const typists = docs.map(async (d, c) => {
			for (let n = 0; typing; n++) {
				writeParagraphs(d, [`c${c}-${n}`]);
				await sleep(5);
			}
		});

		// Casts flowing (a few rounds each, however busy the machine), then the stop lands among them.
		await expect.poll(() => answers.filter((a) => a !== 'unanswered' && a.ok).length, { timeout: 20_000 }).toBeGreaterThan(8);
		await sleep(100);
		stopped = true;
		server.child.kill('SIGTERM');
		await Promise.all(voting);
		expect(await server.exit).toBe(0);
		typing = false;
		await Promise.all(typists);
		await sleep(50);

		// Every cast was answered: taken, or refused as restarting; none met a closed connection.
		expect(answers.filter((a) => a === 'unanswered')).toEqual([]);
		const refusals = answers.filter((a): a is { ok: false; code: string } => a !== 'unanswered' && !a.ok);
		expect(refusals.every((r) => r.code === 'restarting')).toBe(true);
		expect(answers.filter((a) => a !== 'unanswered' && a.ok).length).toBeGreaterThan(8);
		// Every socket heard "the server is restarting" before it was closed; every editor got the restarting code.
		for (const events of heard) expect(events).toEqual(['restarting', 'disconnect']);
		expect(firstClose.map((c) => c.code)).toEqual(docs.map(() => YJS_CLOSE.restarting));
		// Edits any client received from another one were stored.
		const mustHave = new Set<string>();
		docs.forEach((d, c) => tokens(d).forEach((t) => (t.startsWith(`c${c}-`) ? undefined : mustHave.add(t))));
		expect(mustHave.size).toBeGreaterThan(20);
		for (const p of providers) p.destroy();
		for (const s of sockets) s.close();

		server = spawnServer(env);
		servers.push(server.child);
		url = await server.url;
		const check = new Y.Doc();
		const pc = provider(url, check, name, await signIn(url, 'member5@demo.test'));
		await synced(pc);
		const stored = new Set(tokens(check));
		expect([...mustHave].filter((t) => !stored.has(t))).toEqual([]);
		pc.destroy();
		// Each voter's stored ballot is the last one acknowledged to them.
		await withDatabaseOf(dir, async (db) => {
			for (const v of voters) {
				const row = await db.selectFrom('vote_ballots').select('choice').where('vote_id', '=', voteId).where('unit', '=', `u:${v.id}`).executeTakeFirstOrThrow();
				expect(JSON.parse(row.choice).choice).toBe(lastTaken.get(v.id));
			}
		});
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
	}, 60_000);
});

describe('while the server drains', () => {
	let app: TestApp;
	afterAll(async () => app?.dispose());

	// Each refusal seen to fail without its check: the cast was taken (respond without Lifecycle.track), the reply
	// was posted, 200 (attempt without it), the edit was taken and its editor never closed (DocRoom without the
	// draining check: timed out), and a socket connecting now heard nothing (timed out).
	it('refuses casts, form writes and edits as restarting, keeping what was typed, and tells newcomers', async () => {
		app = await startTestApp();
		const member = await personByEmail(app, 'member1@demo.test');
		const { id: voteId } = await app.ctx.db.selectFrom('votes').select('id').where('title', 'like', 'Anëtarësimi%').executeTakeFirstOrThrow();
		const draftId = await app.ctx.services.drafts.create(member.auth, { title: 'Tekst', summary: '', group: '', field: 'performing-arts', visibility: 'members' });
		const threadId = (await app.ctx.db.selectFrom('drafts').select('thread_id').where('id', '=', draftId).executeTakeFirstOrThrow()).thread_id!;
		const doc = new Y.Doc();
		const editor = provider(app.url, doc, `draft:${draftId}`, member.cookie);
		await synced(editor);
		const closed = new Promise<number>((resolve) => editor.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));

		app.ctx.lifecycle.drain();

		const socket = connectSocket(app.url, { cookie: member.cookie, origin: app.url });
		const told = new Promise<void>((resolve) => socket.on('server:restarting', () => resolve()));
		expect(await connection(socket)).toBe('connected');
		await told;
		expect(await cast(socket, { voteId, ballot: { method: 'yes_no', choice: 'yes' } })).toMatchObject({ ok: false, code: 'restarting' });
		socket.close();
		const reply = await postForm(app.url, `/forum/t/${threadId}?/reply`, { body: 'E shkruar gjatë rinisjes', parentId: '' }, member.cookie);
		expect(reply.status).toBe(503);
		expect(await reply.text()).toContain('E shkruar gjatë rinisjes');
		writeParagraphs(doc, ['gjatë rinisjes']);
		expect(await closed).toBe(YJS_CLOSE.restarting);
		expect(await app.ctx.db.selectFrom('vote_eligible').select('unit').where('vote_id', '=', voteId).where('unit', '=', `u:${member.id}`).where('voted', '=', 1).executeTakeFirst()).toBeUndefined();
		expect(new TextDecoder().decode(await app.ctx.services.documents.state(`draft:${draftId}`))).not.toContain('rinisjes');
		editor.destroy();
	});
});

describe('a stop', () => {
	// Seen to fail without closing every connection once the drain's grace is over, before Socket.IO's close, which
	// waits for the HTTP server's (server/app.ts): this connection, busy through the sweeps of idle ones, was answered
	// after them, then kept alive for its 65 s, and held the stop ('held'; two suite runs timed out so in a dispose).
	it('ends when a request was still arriving as the grace ran out', async () => {
		const app = await startTestApp();
		const { hostname, port } = new URL(app.url);
		const client = net.connect(Number(port), hostname);
		await new Promise((resolve) => client.once('connect', resolve));
		client.on('error', () => undefined);
		// A request begun and not ended: the connection is busy.
		client.write(`GET /healthz HTTP/1.1\r\nHost: ${app.url.slice('http://'.length)}\r\nConnection: keep-alive\r\n`);
		await sleep(200);
		const stopping = app.stop().then(() => 'stopped');
		await sleep(1500);
		// Its end comes after the grace: answered (without the guard) and idle, or cut.
		if (!client.destroyed) client.write('\r\n');
		expect(await Promise.race([stopping, sleep(20_000).then(() => 'held')])).toBe('stopped');
		client.destroy();
		await app.dispose();
	}, 40_000);
});
