import { afterAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Socket } from 'socket.io-client';
import { loadConfig } from '../../server/config.js';
import { startApp } from '../../server/app.js';
import { spawnServer, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { expectCellsInKeyOrder, expectSecretBallotsUnlinkable } from './helpers/secrecy.js';
import { castByForm, castBySocket, makePeople, memberSocket, personByEmail, storedBallots, voteInput, type Answer } from './helpers/votes.js';
import { databaseEnv } from './helpers/postgres.js';
import { redisEnv } from './helpers/redis.js';
import { createHash } from 'node:crypto';
import { newDeviceToken, RECEIPT_PATTERN } from '../../src/lib/shared/votes.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const c of cleanup.reverse()) await c();
});

// What SQLite keeps in its file and its WAL; PostgreSQL keeps other things, checked in votes-secrecy-postgres.test.ts.
describe.skipIf(!!process.env.KUVEND_TEST_POSTGRES)('a secret vote', () => {
	// The guard against the WAL: after every batch holding secret ballots the service checkpoints and truncates it
	// (BallotWriter.#flush). Without that checkpoint this test failed: the WAL held every receipt, written in the
	// same frames as the voter's participation row, in the order of casting.
	it('keeps nothing, in any table, the WAL, the logs or the events, that joins a member to a choice', async () => {
		const logged: string[] = [];
		const write = process.stderr.write.bind(process.stderr);
		vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
			logged.push(String(chunk));
			return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
		});
		const app: TestApp = await startTestApp({ LOG_LEVEL: 'debug' });
		cleanup.push(() => app.dispose());
		const events: string[] = [];
		const emit = app.ctx.bus.emit.bind(app.ctx.bus);
		vi.spyOn(app.ctx.bus, 'emit').mockImplementation(((name: string, payload: unknown) => {
			events.push(JSON.stringify([name, payload]));
			return emit(name as never, payload as never);
		}) as typeof app.ctx.bus.emit);

		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		const voters = await makePeople(app, 30);
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Secret: the new board', secret: true, results: 'live' }), {}, true);
		const watcher = await memberSocket(app.url, coordinator.cookie);
		cleanup.push(() => void watcher.disconnect());
		const tallies: unknown[] = [];
		watcher.on('vote:tally', (t) => tallies.push(t));
		const watched = (await new Promise((r) => watcher.emit('vote:watch', { voteId }, r))) as { ok: boolean; tally: { result: unknown } };
		expect(watched.ok).toBe(true);

		const socks: Socket[] = await Promise.all(voters.slice(0, 15).map((v) => memberSocket(app.url, v.cookie)));
		cleanup.push(() => socks.forEach((s) => s.disconnect()));
		const choices = voters.map((_, i) => (['yes', 'no', 'abstain'] as const)[i % 3]);
		// What each voter's device makes and keeps: a cast id and a change key.
		const castIds = voters.map(() => newDeviceToken());
		const changeKeys = voters.map(() => newDeviceToken());
		const answers: Answer[] = await Promise.all(
			voters.map((v, i) => {
				const tokens = { castId: castIds[i], changeKey: changeKeys[i] };
				return i < 15 ? castBySocket(socks[i], { voteId, ballot: { method: 'yes_no', choice: choices[i] }, ...tokens }) : castByForm(app.url, voteId, v.cookie, { choice: choices[i], ...tokens });
			})
		);
		const receipts = answers.map((a) => (a.ok ? a.receipt : ''));
		expect(receipts.every((r) => RECEIPT_PATTERN.test(r))).toBe(true);
		// One voter changes their mind, naming the ballot by its receipt, from the device holding its change key.
		choices[0] = 'no';
		const change = { voteId, ballot: { method: 'yes_no', choice: 'no' }, replace: true, receipt: receipts[0], changeKey: changeKeys[0] };
		expect(await castBySocket(socks[0], change)).toMatchObject({ ok: true, changed: true });
		// And one retries a cast whose answer it did not see: the same answer, nothing written.
		expect(await castBySocket(socks[1], { voteId, ballot: { method: 'yes_no', choice: choices[1] }, castId: castIds[1], changeKey: changeKeys[1] })).toEqual(answers[1]);
		await new Promise((r) => setTimeout(r, 250));

		const file = app.config.databaseFile;
		// The WAL: empty, or at least holding no ballot.
		const wal = fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0);
		for (const r of receipts) expect(wal.includes(r)).toBe(false);
		const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
		const hashes = [...castIds, ...changeKeys].map(sha256);
		for (const h of hashes) expect(wal.includes(h)).toBe(false);

		// Ballots apart from participation, receipts only in the ballots, no choice in the audit trail.
		const tables = expectSecretBallotsUnlinkable(file, voteId, receipts);
		// The live file's pages: who voted is a flag set in place on the electorate written at opening, so its cells stay
		// in key order. Participation used to be a row inserted as each member voted (vote_participants): its cells lay in
		// voting order, and read beside the ballots' cells (also in casting order) they paired 30 of 30 voters with their
		// choice. This check fails on any table written in that order: run on vote_ballots here, it fails.
		expectCellsInKeyOrder(file, ['vote_eligible']);
		const text = JSON.stringify(tables);
		const ballots = tables.vote_ballots.filter((b) => (b as { vote_id: number }).vote_id === voteId) as { receipt: string; cast_hash: string; change_hash: string }[];
		// Each hash appears in its ballot and nowhere else; the hashes lead to a voter only through the tokens on the
		// voter's device, which the server keeps nowhere.
		for (const h of hashes) expect(text.split(h).length - 1).toBe(1);
		for (const t of [...castIds, ...changeKeys]) expect(text).not.toContain(t);
		const byReceiptRow = new Map(ballots.map((b) => [b.receipt, b]));
		receipts.forEach((r, i) => expect(byReceiptRow.get(r)).toMatchObject({ cast_hash: sha256(castIds[i]), change_hash: sha256(changeKeys[i]) }));

		// Logs, events and live tallies: no receipt, no choice.
		const said = [...logged, ...events, JSON.stringify(tallies), JSON.stringify(watched)].join('\n');
		for (const r of [...receipts, ...castIds, ...changeKeys, ...hashes]) expect(said).not.toContain(r);
		expect(said).not.toMatch(/"choice"|"yes_no","choice/);
		expect(tallies.length).toBeGreaterThan(0);
		expect(tallies.every((t) => (t as { result: unknown }).result === null)).toBe(true);

		// After closing: each voter finds their receipt with the choice they made last.
		await app.ctx.services.votes.close(coordinator.auth, voteId);
		const published = await app.ctx.services.votes.published(voters[5].auth, voteId);
		expect(published).toHaveLength(30);
		expect(published.every((p) => p.voter === null)).toBe(true);
		const byReceipt = new Map(published.map((p) => [p.receipt, p.ballot]));
		receipts.forEach((r, i) => expect(byReceipt.get(r)).toEqual({ method: 'yes_no', choice: choices[i] }));
		vi.restoreAllMocks();
	});

	// A backup reading the file holds the WAL open. Before, the writer's truncation waited out the 5 s busy timeout
	// with every acknowledgement held back (the race below was lost to the 3 s timer), and then left the ballots in
	// the log. Now it gives up after a moment and tries again until the log is empty.
	it('is acknowledged at once while a reader holds the log, and the log is emptied after the reader leaves', async () => {
		const app: TestApp = await startTestApp();
		cleanup.push(() => app.dispose());
		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		const [voter] = await makePeople(app, 1);
		const voteId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Secret: the treasurer', secret: true }), {}, true);
		const file = path.join(app.dataDir, 'kuvend.db');
		const reader = new SQLite(file, { readonly: true });
		reader.prepare('begin').run();
		reader.prepare('select count(*) from users').get();
		const socket = await memberSocket(app.url, voter.cookie);
		cleanup.push(() => void socket.disconnect());
		const answer = await Promise.race([
			castBySocket(socket, { voteId, ballot: { method: 'yes_no', choice: 'yes' }, castId: newDeviceToken(), changeKey: newDeviceToken() }),
			new Promise<'held back'>((r) => setTimeout(() => r('held back'), 3_000))
		]);
		expect(answer).toMatchObject({ ok: true });
		const receipt = (answer as { receipt: string }).receipt;
		const wal = () => (fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0));
		expect(wal().includes(receipt)).toBe(true);
		reader.prepare('commit').run();
		reader.close();
		await expect.poll(() => wal().includes(receipt), { timeout: 5_000 }).toBe(false);
	});
});

describe('durability', () => {
	// An acknowledgement is sent only after the transaction holding the ballot has committed (BallotWriter.#flush
	// answers the jobs after BallotBox.transaction returns). With the cast acknowledged as soon as it was queued and
	// the batch written 50 ms later, this test failed: acknowledged ballots were missing after the kill.
	it('keeps every acknowledged ballot when the server is killed with SIGKILL right after the acknowledgements', async () => {
		const dir = tempDir();
		cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
		// Prepare the data folder in this process: people with sessions and an open vote.
		const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed', ...databaseEnv(dir), ...redisEnv(dir) });
		const prep = await startApp(config);
		const withConfig = Object.assign(prep, { config });
		const coordinator = await personByEmail(withConfig, 'coordinator@demo.test');
		const voters = await makePeople(withConfig, 40);
		const voteId = await prep.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Durable', secret: true }), {}, true);
		await prep.stop();

		const server = spawnServer({ PORT: '0', DATA_DIR: dir, RATE_LIMITS: 'relaxed' });
		const url = await server.url;
		const socks = await Promise.all(voters.map((v) => memberSocket(url, v.cookie)));
		const acked: string[] = [];
		const N = 25;
		const killed = new Promise<void>((resolve) => {
			for (const [i, s] of socks.entries()) {
				void castBySocket(s, { voteId, ballot: { method: 'yes_no', choice: i % 2 ? 'yes' : 'no' } }).then((a) => {
					if (!a.ok) return;
					acked.push(a.receipt);
					if (acked.length === N) {
						server.child.kill('SIGKILL');
						resolve();
					}
				});
			}
		});
		await killed;
		await server.exit;
		const seen = [...acked];
		socks.forEach((s) => s.disconnect());

		// What the database holds after the kill, read by the app started again on it (SQLite or PostgreSQL).
		const after = Object.assign(await startApp(config), { config });
		const stored = new Set((await storedBallots(after, voteId)).map((b) => b.receipt));
		const participants = (await after.ctx.db.selectFrom('vote_eligible').select('unit').where('vote_id', '=', voteId).where('voted', '=', 1).execute()).length;
		await after.stop();
		expect(seen.length).toBeGreaterThanOrEqual(N);
		for (const r of seen) expect(stored.has(r)).toBe(true);
		expect(participants).toBe(stored.size);
	});
});
