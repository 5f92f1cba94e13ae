import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../../server/config.js';
import { startApp, type RunningApp } from '../../server/app.js';
import { lockDataFolder } from '../../server/db/data-folder-lock.js';
import { openPostgres } from '../../server/db/dialect/postgres.js';
import { getPage, tempDir } from './helpers/app.js';
import { runKuvend } from './helpers/cli.js';
import { logLength } from './helpers/documents.js';
import { databaseEnv, postgresAnswers } from './helpers/postgres.js';
import { makePeople, personByEmail, sessionOf, voteInput, type Person } from './helpers/votes.js';
import { provider, synced, writeParagraphs } from './helpers/yjs.js';

// `npm run kuvend -- migrate-to-postgres` (issue #16.7): a SQLite network moved into PostgreSQL answers the same.
// Runs wherever a PostgreSQL answers (these machines and CI: 127.0.0.1:5432), skipped, saying so, elsewhere. The
// source is always SQLite, also under `npm run test:pg`; each target is a database of its own, made and dropped here.
const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const PG = postgresAnswers(ADMIN_URL);
if (!PG) console.warn(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: migrate-to-postgres is not tested`);

type App = RunningApp & { config: Config; dataDir: string };

/** The real server on `dataDir`: SQLite unless `databaseUrl` is given, never Redis (the move is a one-node matter). */
async function start(dataDir: string, databaseUrl?: string): Promise<App> {
	const config = loadConfig({
		NODE_ENV: 'test',
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		LOG_LEVEL: 'error',
		RATE_LIMITS: 'relaxed',
		...(databaseUrl ? { DATABASE_URL: databaseUrl } : {})
	});
	return { ...(await startApp(config)), config, dataDir };
}

const waitFor = async (check: () => Promise<boolean> | boolean) => {
	for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
	expect(await check()).toBe(true);
};

/** What a reader sees of the network, through the services and pages, for comparing the two databases. */
async function snapshot(app: App, member: Person, ids: { threadId: number; openVote: number; draftId: number }) {
	const s = app.ctx.services;
	// The same hits; their order is each database's ranking (FTS5's bm25, PostgreSQL's ts_rank), which may differ.
	const search = async (q: string) =>
		(await s.search.search(member.auth, { q })).hits.map((h) => `${h.postId} ${h.threadId} ${h.title}`).sort();
	const page = async (p: string) => {
		const res = await getPage(app.url, p, member.cookie);
		const html = await res.text();
		// The page as a reader reads it: its text, without markup, scripts, per-request tokens and the server's own
		// address (each server listens on a port of its own; the embed snippet names it).
		const text = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/http:\/\/127\.0\.0\.1:\d+/g, 'ORIGIN');
		return { status: res.status, text: text.trim() };
	};
	return {
		searches: { kultur: await search('kultur'), teatri: await search('teatri'), migrimi: await search('migrimi i të dhënave') },
		thread: await page(`/forum/t/${ids.threadId}`),
		decisions: await page('/decisions'),
		openVote: await page(`/votes/${ids.openVote}`),
		draft: await page(`/drafts/${ids.draftId}`),
		members: await page('/members'),
		searchPage: (await page(`/search?q=${encodeURIComponent('kulturë')}`)).text.split(' ').sort().join(' '),
		counts: await Promise.all(['users', 'posts', 'threads', 'votes', 'vote_ballots', 'audit_log', 'outbox', 'notifications'].map(async (t) => [t, Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(app.ctx.db)).rows[0].n)]))
	};
}

function newTarget(name: string): string {
	const url = new URL(databaseEnv(tempDir(`kuvend-move-${name}-`), ADMIN_URL).DATABASE_URL);
	return url.toString();
}

async function tablesIn(url: string): Promise<number> {
	const { db } = await openPostgres(url, { poolSize: 1 });
	try {
		const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = current_schema()`.execute(db);
		return Number(rows[0].n);
	} finally {
		await db.destroy();
	}
}

describe.runIf(PG)('migrate-to-postgres', () => {
	const dir = tempDir('kuvend-move-');
	let target: string;
	let ids: { threadId: number; openVote: number; draftId: number; secretVote: number };
	let before: Awaited<ReturnType<typeof snapshot>>;
	let expectedSecret: Record<string, number>;
	let receipts: string[];
	let highestPost: number;

	beforeAll(async () => {
		target = newTarget('main');
		// The demo network on SQLite, with some activity of its own.
		const app = await start(dir);
		try {
			const s = app.ctx.services;
			const author = await personByEmail(app, 'member1@demo.test');
			const coordinator = await personByEmail(app, 'coordinator@demo.test');
			const threadId = await s.forumWriting.createThread(author.auth, { category: 'visual-arts', title: 'Migrimi i të dhënave', body: 'Kulturë dhe teatri në një vend të ri.', tags: '' });
			for (let i = 0; i < 5; i++) await s.forumWriting.reply(author.auth, threadId, null, `Përgjigja ${i}: kulturë e përbashkët`);
			// A vote with open ballots and one with secret ballots, both still open, and one cast on the demo's secret vote.
			const voters = await makePeople(app, 12);
			const openVote = await s.votes.create(coordinator.auth, voteInput({ title: 'E hapur: lëvizja' }), {}, true);
			const secretVote = await s.votes.create(coordinator.auth, voteInput({ title: 'Sekret: lëvizja', secret: true }), {}, true);
			receipts = [];
			for (const [i, v] of voters.entries()) {
				await s.votes.cast(v.auth, openVote, { ballot: { method: 'yes_no', choice: i % 2 ? 'yes' : 'no' } });
				const cast = await s.votes.cast(v.auth, secretVote, { ballot: { method: 'yes_no', choice: i % 3 ? 'yes' : 'abstain' } });
				if ('receipt' in cast) receipts.push(cast.receipt);
			}
			expect(receipts).toHaveLength(12);
			expectedSecret = { yes: 8, abstain: 4 };
			// A draft with edits, stored in its update log.
			const draftId = await s.drafts.create(author.auth, { title: 'Teksti që lëviz', summary: '', group: '', field: 'theatre', visibility: 'members' });
			const doc = new Y.Doc();
			const editor = provider(app.url, doc, `draft:${draftId}`, author.cookie);
			await synced(editor);
			writeParagraphs(doc, ['Paragrafi i parë i lëvizjes', 'Paragrafi i dytë']);
			await waitFor(async () => (await logLength(app as never, `draft:${draftId}`)) >= 1);
			editor.destroy();
			ids = { threadId, openVote, draftId, secretVote };
			highestPost = Number((await sql<{ n: number }>`select max(id) as n from posts`.execute(app.ctx.db)).rows[0].n);
			before = await snapshot(app, await sessionOf(app, author.id), ids);
		} finally {
			await app.stop();
		}
	}, 120_000);

	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('moves everything, and Kuvend on PostgreSQL answers as it did on SQLite', async () => {
		const run = await runKuvend(['migrate-to-postgres'], { DATA_DIR: dir, DATABASE_URL: target });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/Verified: row counts of \d+ tables, checksums of users, posts, threads, votes, vote_eligible, vote_ballots, .*search_index(, [a-z_]+)*\./);
		expect(run.stdout).toMatch(/Sealed 15 ballot\(s\) of 2 open secret vote\(s\) with the ballot key in .*ballot\.key: every node must use this key\./);

		const app = await start(dir, target);
		try {
			expect(app.ctx.dialect).toBe('postgres');
			const author = await personByEmail(app, 'member1@demo.test');
			const after = await snapshot(app, author, ids);
			expect(after.searches.kultur.length).toBeGreaterThan(0);
			expect(after).toEqual(before);

			// The draft's text came with its update log: an editor opening it reads the edits.
			const doc = new Y.Doc();
			const editor = provider(app.url, doc, `draft:${ids.draftId}`, author.cookie);
			await synced(editor);
			expect(doc.getXmlFragment('default').toString()).toContain('Paragrafi i parë i lëvizjes');
			editor.destroy();

			// The secret ballots of the open vote are sealed: no receipt, no choice in the clear, no unit. (With the
			// ballots copied unsealed, the move itself failed: its checksum opens sealed ballots to compare them.)
			const stored = await app.ctx.db.selectFrom('vote_ballots').selectAll().where('vote_id', '=', ids.secretVote).execute();
			const dump = JSON.stringify(stored);
			for (const receipt of receipts) expect(dump).not.toContain(receipt);
			expect(dump).not.toMatch(/yes|abstain/);
			expect(stored.every((r) => r.unit === null && r.choice.startsWith('sealed:'))).toBe(true);

			// New rows continue past the moved ids; the moved votes count and close as they would have on SQLite.
			const coordinator = await personByEmail(app, 'coordinator@demo.test');
			const reply = await app.ctx.services.forumWriting.reply(author.auth, ids.threadId, null, 'Pas lëvizjes, kulturë.');
			expect(reply).toBeGreaterThan(highestPost);
			const result = await app.ctx.services.votes.close(coordinator.auth, ids.secretVote);
			expect(result.participants).toBe(12);
			expect(JSON.stringify(result)).toContain(`"yes":${expectedSecret.yes}`);
			expect(JSON.stringify(result)).toContain(`"abstain":${expectedSecret.abstain}`);
			const open = await app.ctx.services.votes.close(coordinator.auth, ids.openVote);
			expect(open.participants).toBe(12);
		} finally {
			await app.stop();
		}
	}, 120_000);

	it('refuses a database that is not empty, changing nothing', async () => {
		const run = await runKuvend(['migrate-to-postgres', '--to', target], { DATA_DIR: dir });
		expect(run.code).toBe(1);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(/^PostgreSQL at 127\.0\.0\.1:5432\/kuvend_t_[0-9a-f]+ is not empty \(it has tables: .*\); migrate-to-postgres fills an empty database only: create a new one/);
	}, 120_000);

	it('refuses while a server holds the SQLite file, when PostgreSQL cannot be reached, and when the schemas differ, changing nothing', async () => {
		const empty = newTarget('refusals');
		// A running server holds the data folder's lock (server/db/data-folder-lock.ts); here this process does.
		const lock = lockDataFolder(path.join(dir, 'kuvend.db'));
		try {
			const held = await runKuvend(['migrate-to-postgres', '--to', empty], { DATA_DIR: dir });
			expect(held.code).toBe(1);
			expect(held.stderr.trim()).toMatch(/kuvend\.db is already served by Kuvend \(pid \d+\); stop it first/);
		} finally {
			lock.release();
		}

		const unreachable = new URL(empty);
		unreachable.port = '1';
		const away = await runKuvend(['migrate-to-postgres', '--to', unreachable.toString()], { DATA_DIR: dir });
		expect(away.code).toBe(1);
		expect(away.stderr.trim()).toMatch(/^DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);

		// A copy of the SQLite file one migration behind, and one from a newer Kuvend.
		for (const [name, change, message] of [
			['behind', "delete from kysely_migration where name = (select max(name) from kysely_migration)", /is behind this Kuvend \(1 migration\(s\) pending, from .*\); start Kuvend on it once/],
			['newer', "insert into kysely_migration (name, timestamp) values ('2099-01-01T0000_future', '2099-01-01')", /was written by a newer Kuvend \(migrations unknown here: 2099-01-01T0000_future\)/]
		] as const) {
			const copy = path.join(tempDir(`kuvend-move-${name}-`), 'kuvend.db');
			const source = new SQLite(path.join(dir, 'kuvend.db'), { readonly: true });
			await source.backup(copy);
			source.close();
			const writable = new SQLite(copy);
			writable.exec(change);
			writable.close();
			const run = await runKuvend(['migrate-to-postgres', '--from', copy, '--to', empty], { DATA_DIR: dir });
			expect(run.code, name).toBe(1);
			expect(run.stderr.trim()).toMatch(message);
			fs.rmSync(path.dirname(copy), { recursive: true, force: true });
		}
		expect(await tablesIn(empty)).toBe(0);

		const usage = await runKuvend(['migrate-to-postgres', '--form', 'x'], { DATA_DIR: dir });
		expect(usage).toMatchObject({ code: 1, stderr: 'Unknown argument "--form" for migrate-to-postgres; see "npm run kuvend -- migrate-to-postgres --help".\n' });
		const help = await runKuvend(['migrate-to-postgres', '--help'], {});
		expect(help.stdout).toMatch(/^Usage: npm run kuvend -- migrate-to-postgres \[--from <file>\] \[--to <postgres:\/\/…>\]/);
	}, 300_000);
});
