import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { getPage, postForm, signIn, spawnServer, tempDir } from './helpers/app.js';
import { provider, synced, writeParagraphs } from './helpers/yjs.js';
import { castBySocket, memberSocket } from './helpers/votes.js';
import { YJS_CLOSE } from '../../src/lib/shared/realtime.js';
import { onPostgres } from './helpers/postgres.js';

/** A real small file system (tmpfs) to fill: needs root (mount); skipped, saying so, where it is not allowed. */
function mountTmpfs(dir: string, size: string): boolean {
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}
const probe = tempDir('kuvend-mount-');
const canMount = mountTmpfs(probe, '1m');
if (canMount) execFileSync('umount', [probe]);
fs.rmSync(probe, { recursive: true, force: true });

const mounted: string[] = [];
/** Servers this file started: one left running by a failed test must not keep the tmpfs busy. */
const servers: ChildProcess[] = [];
afterAll(() => {
	for (const child of servers) if (child.exitCode === null) child.kill('SIGKILL');
	for (const d of mounted.splice(0)) {
		execFileSync('umount', ['-l', d]);
		fs.rmSync(d, { recursive: true, force: true });
	}
});

/** Writes a file until the disk refuses another byte. */
function fillDisk(file: string): void {
	const fd = fs.openSync(file, 'w');
	try {
		for (const size of [1024 * 1024, 4096, 64]) {
			const chunk = Buffer.alloc(size, 1);
			try {
				for (;;) fs.writeSync(fd, chunk);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
			}
		}
	} finally {
		fs.closeSync(fd);
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (doc: Y.Doc) => doc.getXmlFragment('default').toString();

// The disk that fills here is the data folder's, holding the SQLite file and its WAL. On PostgreSQL the database is
// on the PostgreSQL server's disk, not in the data folder: this is SQLite's by design. A database refusing writes on
// PostgreSQL is covered where its store is made to fail (drafts.test.ts).
describe.skipIf(!canMount || onPostgres)('a full disk (an 8 MB tmpfs holding the data folder)', () => {
	it('shows nobody what it could not store, keeps reading pages up, says so in /healthz and the log, and a stop on it loses nothing acknowledged', async () => {
		const dir = tempDir('kuvend-full-');
		expect(mountTmpfs(dir, '8m')).toBe(true);
		mounted.push(dir);
		const file = path.join(dir, 'kuvend.db');
		const filler = path.join(dir, 'filler');
		const env = { PORT: '0', DATA_DIR: dir, RATE_LIMITS: 'relaxed', NODE_ENV: 'test', LOG_LEVEL: 'info' };
		let server = spawnServer(env);
		servers.push(server.child);
		let url = await server.url;
		const author = await signIn(url, 'member1@demo.test');
		const peer = await signIn(url, 'member2@demo.test');
		const created = await postForm(url, '/drafts/new', { title: 'Teksti në disk të plotë', summary: '', group: '', field: 'performing-arts', visibility: 'members' }, author);
		const draftId = Number(created.headers.get('location')!.split('/').pop());
		const name = `draft:${draftId}`;
		const db = new SQLite(file);
		const { thread_id: threadId } = db.prepare('select thread_id from drafts where id = ?').get(draftId) as { thread_id: number };
		const { id: voteId } = db.prepare("select id from votes where title like 'Anëtarësimi%'").get() as { id: number };

		// Acknowledged before the disk fills: a ballot, a reply, edits another member received (the secret ballot
		// first: its batch truncates the log, and the log should hold something when the disk fills).
		const cast = await castBySocket(await memberSocket(url, author), { voteId, ballot: { method: 'yes_no', choice: 'yes' } });
		expect(cast.ok).toBe(true);
		expect((await postForm(url, `/forum/t/${threadId}?/reply`, { body: 'Përgjigje e pranuar para diskut të plotë', parentId: '' }, author)).status).toBeLessThan(400);
		const [d1, d2] = [new Y.Doc(), new Y.Doc()];
		const [p1, p2] = [provider(url, d1, name, author), provider(url, d2, name, peer)];
		await Promise.all([synced(p1), synced(p2)]);
		writeParagraphs(d1, ['para-pranuar', ...Array.from({ length: 100 }, (_, i) => `${i} ${'fjalë '.repeat(300)}`)]);
		await expect.poll(() => text(d2)).toContain('para-pranuar');
		const closes: number[] = [];
		p1.on('connection-close', (event: CloseEvent | null) => void (event && closes.push(event.code)));
		// The author's next page view slides their session (a write): it must not cost them the page.
		db.prepare('update sessions set last_seen_at = last_seen_at - 7200000').run();
		db.close();
		const wal = () => fs.statSync(`${file}-wal`).size;
		const walBefore = wal();
		expect(walBefore).toBeGreaterThan(100 * 1024); // the demo network, not yet folded into the database

		fillDisk(`${filler}-1`);
		// A read mark is best-effort: the page still answers 200 (checked: 503 without). Its failure starts the
		// checkpoint attempts, which fail while the database cannot grow; what they moved is filled up again.
		expect((await postForm(url, `/forum/t/${threadId}?/read`, { upTo: '' }, peer)).status).toBe(200);
		await sleep(100);
		fillDisk(`${filler}-2`);

		// An edit that cannot be stored: its writer is told (the close code the draft page words), nobody sees it,
		// not the peer, not someone opening the draft now (without the write-first order no close code came, and the
		// newcomer had the edit: tests/integration/drafts.test.ts, "takes nothing it could not write").
		writeParagraphs(d1, ['e-mbajtur-në-shfletues']);
		await expect.poll(() => closes, { timeout: 5000 }).toContain(YJS_CLOSE.not_saved);
		const d3 = new Y.Doc();
		const p3 = provider(url, d3, name, peer);
		await synced(p3);
		await sleep(200);
		expect(text(d2)).not.toContain('e-mbajtur');
		expect(text(d3)).not.toContain('e-mbajtur');
		expect(text(d3)).toContain('para-pranuar');

		// Reading goes on: the thread page, whose session's last-seen write fails (checked: 500 before that write
		// was made best-effort).
		expect((await getPage(url, `/forum/t/${threadId}`, author)).status).toBe(200);
		// A write is refused with a clear 503 and the reply's text comes back with the form (checked: 500 without the
		// driver's disk-full refusal; 500 too without the rollback guard, whose "cannot rollback" hid the cause).
		const refused = await postForm(url, `/forum/t/${threadId}?/reply`, { body: 'Nuk ruhet dot tani', parentId: '' }, author);
		expect(refused.status).toBe(503);
		expect(await refused.text()).toContain('Nuk ruhet dot tani');

		// /healthz writes one row and commits (checked: the same write rolled back instead answered 200 here).
		const health = await fetch(`${url}/healthz`);
		expect(health.status).toBe(503);
		expect(await health.json()).toMatchObject({ database: 'not writable', reason: 'disk full' });
		// The log names the cause.
		expect(server.output()).toContain('disk full');
		expect(server.output()).toContain('SQLITE_FULL');
		expect(server.output()).not.toContain('cannot rollback');

		// Space is back: the held edit is sent again by its writer and reaches everyone; /healthz is well again.
		for (const n of [1, 2]) fs.rmSync(`${filler}-${n}`);
		await expect.poll(() => text(d2), { timeout: 10_000 }).toContain('e-mbajtur-në-shfletues');
		// The log is folded in and truncated as soon as the disk allows, before anything asks /healthz (checked:
		// without the repeated checkpoint after failures it kept its size, ready to fill the freed space again).
		await expect.poll(wal, { timeout: 10_000 }).toBeLessThan(walBefore / 4);
		// And the server notices by itself that writes work again, so the next full disk is logged anew (checked:
		// without the probe after a working checkpoint it noticed only when /healthz was asked).
		await expect.poll(() => server.output(), { timeout: 15_000, interval: 500 }).toContain('the database takes writes again');
		await expect.poll(async () => (await fetch(`${url}/healthz`)).status, { timeout: 10_000, interval: 500 }).toBe(200);

		// A stop on a full disk loses nothing that was acknowledged.
		fillDisk(filler);
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
		for (const p of [p1, p2, p3]) p.destroy();
		fs.rmSync(filler);

		server = spawnServer(env);
		servers.push(server.child);
		url = await server.url;
		const again = await signIn(url, 'member2@demo.test');
		expect(await (await getPage(url, `/forum/t/${threadId}`, again)).text()).toContain('Përgjigje e pranuar para diskut të plotë');
		const check = new Y.Doc();
		const pc = provider(url, check, name, again);
		await synced(pc);
		expect(text(check)).toContain('para-pranuar');
		expect(text(check)).toContain('e-mbajtur-në-shfletues');
		pc.destroy();
		const stored = new SQLite(file, { readonly: true });
		expect(stored.prepare('select count(*) as n from vote_ballots where vote_id = ? and receipt = ?').get(voteId, cast.ok ? cast.receipt : '')).toEqual({ n: 1 });
		stored.close();
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
	}, 90_000);
});
