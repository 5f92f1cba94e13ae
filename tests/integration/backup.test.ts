import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { signIn, spawnServer, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { onPostgres } from './helpers/postgres.js';
import { runKuvend } from './helpers/cli.js';
import { expectSecretBallotsUnlinkable, expectWrittenOrderHidden } from './helpers/secrecy.js';
import { castBySocket, makePeople, memberSocket, personByEmail, voteInput } from './helpers/votes.js';
import { provider, synced, writeParagraphs } from './helpers/yjs.js';
import { integrityProblems, rowCounts } from '../../server/db/repositories/maintenance.repository.js';
import { BackupSchedule } from '../../server/services/backup-schedule.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const c of cleanup.reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readDb<T>(file: string, read: (db: SQLite.Database) => T): T {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		return read(db);
	} finally {
		db.close();
	}
}

/** The files of a folder with their inode and size: what "changes nothing" is checked against. */
const listing = (dir: string) =>
	fs
		.readdirSync(dir)
		.filter((f) => !/-(wal|shm)$/.test(f))
		.map((f) => `${f}:${fs.statSync(path.join(dir, f)).ino}`)
		.sort();

/** Writes started at a steady rate (catching up when the timer runs late, never waiting for each other) until
 * stopped, each counted once acknowledged. */
function writer(perSecond: number, write: (n: number) => Promise<string | null>) {
	const acked: { at: number; key: string }[] = [];
	const pending: Promise<void>[] = [];
	const start = Date.now();
	let n = 0;
	const timer = setInterval(() => {
		const due = Math.floor(((Date.now() - start) / 1000) * perSecond);
		for (; n < due; n++) pending.push(write(n).then((key) => void (key && acked.push({ at: Date.now(), key }))));
	}, 10);
	return {
		acked,
		before: (t: number) => acked.filter((a) => a.at < t).map((a) => a.key),
		async stop() {
			clearInterval(timer);
			await Promise.all(pending);
		}
	};
}

// SQLite's by design: a consistent copy of the database file while the server writes, its secret ballots' pages,
// its restore into a data folder. On PostgreSQL backups are pg_dump's: the commands refuse, saying so, checked in
// backup-cli.test.ts ("the file commands on PostgreSQL").
describe.skipIf(onPostgres)('a backup taken while the server writes', () => {
	let app: TestApp;
	let backup: string;
	let threadId: number;
	let threadTitle: string;
	let repliesBefore: string[];
	let startLoad: () => {
		replies: ReturnType<typeof writer>;
		ballots: ReturnType<typeof writer>;
		edits: ReturnType<typeof writer>;
		inCopy: (file: string) => { replies: Set<string>; receipts: string[] };
		stop: () => Promise<{ writes: number; seconds: number }>;
	};

	// What makes the copy consistent is SQLite's backup API in one step (backupDatabase). With the database file
	// copied instead (fs.copyFileSync in backupToFile, the obvious shortcut), this test failed: replies acknowledged
	// before the backup began were missing from the copy (they were still in the write-ahead log beside the file).
	// With the copied pages kept as they are (no compactCopy in backupDatabase), expectWrittenOrderHidden failed: the
	// ballots' cells lay in the order of casting, which pairs them with the participations written with them.
	it('holds every write acknowledged before it began, passes the integrity check, and keeps secret ballots secret', async () => {
		app = await startTestApp();
		cleanup.push(() => app.dispose());
		const coordinator = await personByEmail(app, 'coordinator@demo.test');
		const author = await personByEmail(app, 'member1@demo.test');
		threadTitle = 'Kopja rezervë gjatë shkrimit';
		threadId = await app.ctx.services.forumWriting.createThread(author.auth, { category: 'visual-arts', title: threadTitle, body: 'Fillimi i bisedës', tags: '' });
		const draftId = await app.ctx.services.drafts.create(author.auth, { title: 'Teksti gjatë kopjes', summary: '', group: '', field: 'theatre', visibility: 'members' });
		const doc = new Y.Doc();
		const editor = provider(app.url, doc, `draft:${draftId}`, author.cookie);
		cleanup.push(() => editor.destroy());
		await synced(editor);
		// Eligibility is frozen when a vote opens: the voters first. A secret vote is cast before the load (each
		// secret batch checkpoints the write-ahead log into the file); the load casts on an open vote.
		const voters = await makePeople(app, 300);
		const secretId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'Sekret: kopja', secret: true }), {}, true);
		const openId = await app.ctx.services.votes.create(coordinator.auth, voteInput({ title: 'E hapur: kopja' }), {}, true);
		const socks: Socket[] = await Promise.all(voters.map((v) => memberSocket(app.url, v.cookie)));
		cleanup.push(() => socks.forEach((s) => s.disconnect()));
		const secret = await Promise.all(socks.slice(0, 30).map((s, i) => castBySocket(s, { voteId: secretId, ballot: { method: 'yes_no', choice: i % 3 ? 'yes' : 'no' } })));
		const secretReceipts = secret.map((a) => (a.ok ? a.receipt : ''));

		let voter = 30;
		// About 50 writes a second: replies, ballots over Socket.IO, and edits to a co-edited draft.
		startLoad = () => {
			const started = Date.now();
			const replies = writer(17, async (n) => {
				const body = `Përgjigja numër ${started}-${n}`;
				await app.ctx.services.forumWriting.reply(author.auth, threadId, null, body);
				return body;
			});
			const ballots = writer(17, async () => {
				const sock = socks[voter++];
				if (!sock) return null;
				const answer = await castBySocket(sock, { voteId: openId, ballot: { method: 'yes_no', choice: voter % 2 ? 'yes' : 'no' } });
				return answer.ok ? answer.receipt : null;
			});
			const edits = writer(17, async (n) => {
				writeParagraphs(doc, [`rreshti ${started}-${n}`]);
				return `rreshti ${n}`;
			});
			return {
				replies,
				ballots,
				edits,
				inCopy: (file: string) =>
					readDb(file, (db) => ({
						replies: new Set((db.prepare('select body from posts where thread_id = ?').all(threadId) as { body: string }[]).map((r) => r.body)),
						receipts: (db.prepare('select receipt from vote_ballots where vote_id = ?').all(openId) as { receipt: string }[]).map((r) => r.receipt)
					})),
				async stop() {
					await Promise.all([replies.stop(), ballots.stop(), edits.stop()]);
					const writes = replies.acked.length + ballots.acked.length + edits.acked.length;
					return { writes, seconds: (Date.now() - started) / 1000 };
				}
			};
		};
		const { replies, ballots, edits, inCopy, stop } = startLoad();
		await sleep(600);

		const dest = tempDir('kuvend-backups-');
		cleanup.push(() => fs.rmSync(dest, { recursive: true, force: true }));
		backup = path.join(dest, 'gjate-shkrimit.db');
		const began = Date.now();
		const run = await runKuvend(['backup', backup], { DATA_DIR: app.dataDir });
		const ended = Date.now();
		await sleep(200);
		const { writes, seconds } = await stop();
		const during = [replies, ballots, edits].map((w) => w.acked.filter((a) => a.at >= began && a.at < ended).length);
		console.info(
			`backup under load: ${writes} writes acknowledged in ${seconds.toFixed(1)} s (${(writes / seconds).toFixed(0)}/s); ` +
				`${during.join('/')} replies/ballots/edits while the backup ran ${ended - began} ms`
		);
		expect(run).toMatchObject({ code: 0, stderr: '' });
		expect(run.stdout).toMatch(new RegExp(`^Backed up .* to ${backup} \\(\\d+\\.\\d (KB|MB)\\)\\.\\n$`));
		// The writes went on while the copy was made.
		for (const n of during) expect(n).toBeGreaterThan(0);

		// One self-contained file: no write-ahead log beside it, sound.
		expect(fs.existsSync(`${backup}-wal`)).toBe(false);
		expect(readDb(backup, (db) => integrityProblems(db))).toEqual(['ok']);
		const inBackup = inCopy(backup);
		repliesBefore = replies.before(began);
		for (const body of repliesBefore) expect(inBackup.replies.has(body)).toBe(true);
		for (const receipt of ballots.before(began)) expect(inBackup.receipts).toContain(receipt);
		// The secret vote's ballots: all there, and nothing in the copy links a member to a choice.
		expectSecretBallotsUnlinkable(backup, secretId, secretReceipts);
		// Nor do its pages: they are not a page-for-page copy of the live file, whose cells lie in the order written.
		expectWrittenOrderHidden(backup);
	}, 120_000);

	// The server's own backups copy with SQLite's backup API on its own connection, a few pages a step, while it
	// serves. With the file copied instead (fs.copyFileSync in BackupSchedule.runOnce) this failed: replies
	// acknowledged before the backup began were missing from the copy. Why the server's own connection rather than a
	// second one is speed, not correctness, so it is not asserted: from a second connection every commit between two
	// steps restarts the copy (here 11.3 s instead of 0.28 s under this load).
	it('taken by the server on its schedule, in small steps, completes under the same load', async () => {
		const dir = tempDir('kuvend-scheduled-');
		cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
		// A database of some size (20 MB of audit entries), so that the copy, a few pages a step, spans many writes.
		const audit = app.ctx.sqlite.prepare("insert into audit_log (actor_id, action, subject_type, subject_id, data, created_at) values (null, 'test.filler', 'test', '0', ?, 0)");
		app.ctx.sqlite.transaction(() => {
			for (let i = 0; i < 20_000; i++) audit.run(JSON.stringify({ filler: 'x'.repeat(1000), i }));
		})();
		const schedule = new BackupSchedule(app.ctx.sqlite, { dir, everyMs: 0, keep: 3, pagesPerStep: 16 }, app.ctx.logger);
		const load = startLoad();
		await sleep(300);
		const began = Date.now();
		const { file } = await schedule.runOnce();
		const ended = Date.now();
		await sleep(100);
		const { writes, seconds } = await load.stop();
		const during = [load.replies, load.ballots, load.edits].map((w) => w.acked.filter((a) => a.at >= began && a.at < ended).length);
		console.info(`scheduled backup under load: ${(writes / seconds).toFixed(0)} writes/s; ${during.join('/')} replies/ballots/edits while it ran ${ended - began} ms`);
		expect(readDb(file, (db) => integrityProblems(db))).toEqual(['ok']);
		const inCopy = load.inCopy(file);
		for (const body of load.replies.before(began)) expect(inCopy.replies.has(body)).toBe(true);
		for (const receipt of load.ballots.before(began)) expect(inCopy.receipts).toContain(receipt);
		// The copy went on while the server wrote.
		expect(during.reduce((a, b) => a + b)).toBeGreaterThan(0);
	}, 120_000);

	it('restores into a new data folder with the same rows in every table, and the restored server serves', async () => {
		const fresh = tempDir();
		cleanup.push(() => fs.rmSync(fresh, { recursive: true, force: true }));
		const run = await runKuvend(['restore', backup], { DATA_DIR: fresh });
		expect(run).toMatchObject({ code: 0, stderr: '' });
		expect(run.stdout).toMatch(/^Restored .* into .*kuvend\.db \(\d+\.\d (KB|MB)\)\.\n$/);
		const file = path.join(fresh, 'kuvend.db');
		const expected = readDb(backup, rowCounts);
		expect(Object.keys(expected).length).toBeGreaterThan(30);
		expect(readDb(file, rowCounts)).toEqual(expected);

		const server = spawnServer({ PORT: '0', DATA_DIR: fresh, RATE_LIMITS: 'relaxed', NODE_ENV: 'test' });
		cleanup.push(() => void server.child.kill('SIGKILL'));
		const url = await server.url;
		expect((await fetch(`${url}/healthz`)).status).toBe(200);
		const page = await fetch(`${url}/forum/t/${threadId}`, { headers: { cookie: await signIn(url, 'member1@demo.test') } });
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain(threadTitle);
		expect(html).toContain(repliesBefore[0]);
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
	}, 120_000);

	// restoreDatabase takes the data folder's lock before it writes anything. Without that call this test failed:
	// the restore answered 0 and replaced the database under the running server.
	it('is refused while a server holds the data folder, changing nothing', async () => {
		const before = listing(app.dataDir);
		const posts = readDb(app.config.databaseFile, (db) => (db.prepare('select count(*) as n from posts').get() as { n: number }).n);
		const run = await runKuvend(['restore', backup], { DATA_DIR: app.dataDir });
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(/already served by Kuvend \(pid \d+ at http:\/\/127\.0\.0\.1:\d+\); stop it first/);
		expect(listing(app.dataDir)).toEqual(before);
		expect(readDb(app.config.databaseFile, (db) => (db.prepare('select count(*) as n from posts').get() as { n: number }).n)).toBe(posts);
		expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
	}, 60_000);
});
