import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'socket.io-client';
import { sql } from 'kysely';
import { parse } from 'devalue';
import { loadConfig, type Config } from '../../server/config.js';
import { startApp, type RunningApp } from '../../server/app.js';
import { connectSocket, connection, getPage, postForm, spawnServer, tempDir } from './helpers/app.js';
import { databaseEnv, postgresAnswers } from './helpers/postgres.js';
import { privatePostgres, postgresBinaries, type PrivatePostgres } from './helpers/private-postgres.js';
import { personByEmail } from './helpers/votes.js';
import { LOCALE_COOKIE } from '../../src/lib/shared/session.js';

// Issue #16, point 7 and "bad configuration": what Kuvend does when PostgreSQL goes away for a while, and the start-up
// refusals the main PostgreSQL test (postgres.test.ts) does not cover. The outage uses a PostgreSQL of the test's own
// (initdb on a free port, helpers/private-postgres.ts), stopped and started again while Kuvend runs; the machine's
// PostgreSQL only lends a database for the version check. Skipped, saying why, where either is missing.
const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const PG = postgresAnswers(ADMIN_URL);
const BINARIES = postgresBinaries() !== null;
if (!BINARIES) console.warn('No PostgreSQL binaries (initdb, postgres): the PostgreSQL outage test is skipped');
if (!PG) console.warn(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: the version check is not tested`);

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends a form as an enhanced page does (use:enhance): the action's answer, as the page reads it. */
async function enhancedForm(base: string, path: string, body: Record<string, string>, cookie?: string): Promise<{ status: number; code: string; values: Record<string, string> }> {
	const res = await fetch(base + path, {
		method: 'POST',
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: base, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
		body: new URLSearchParams(body)
	});
	const result = (await res.json()) as { type: string; status: number; data: string };
	expect(result.type).toBe('failure');
	const data = parse(result.data) as { code: string; values: Record<string, string> };
	return { status: result.status, code: data.code, values: data.values };
}

/** Starts the real entry point on `url`: it must stop, with exactly one line, which is returned. */
async function startupLine(url: string): Promise<string> {
	const dir = tempDir();
	dirs.push(dir);
	const server = spawnServer({ DATA_DIR: dir, PORT: '0', DATABASE_URL: url, REDIS_URL: '' });
	server.url.catch(() => {}); // it never listens
	expect(await server.exit).toBe(1);
	const lines = server.output().trim().split('\n');
	expect(lines).toHaveLength(1);
	return lines[0];
}

describe.runIf(PG)('a PostgreSQL too old', () => {
	// PostgreSQL 14 is the oldest Kuvend runs on (server/db/dialect/postgres.ts, MIN_POSTGRES_VERSION). No older
	// server is at hand, so only its answer is faked, through the real start-up: a function current_setting() in a
	// schema that DATABASE_URL puts before pg_catalog in the search path answers 13.4 for the version. Shown to fail
	// with the version check removed from openPostgres (Kuvend then started on the "13.4" server).
	it('stops start-up with one line naming the version and the one needed', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const url = new URL(databaseEnv(dir, ADMIN_URL).DATABASE_URL);
		execFileSync('psql', [url.toString(), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', 'create schema kuvend_fake', '-c', `
			create function kuvend_fake.current_setting(name text) returns text language sql as $$
				select case name when 'server_version_num' then '130004' when 'server_version' then '13.4' else pg_catalog.current_setting(name) end
			$$`]);
		url.searchParams.set('options', '-c search_path=kuvend_fake,pg_catalog,public');
		const line = await startupLine(url.toString());
		expect(line).toBe('Kuvend could not start: DATABASE_URL: PostgreSQL 13.4 at 127.0.0.1:5432 is too old; Kuvend needs PostgreSQL 14 or newer.');
	}, 150_000);
});

describe.runIf(BINARIES)('PostgreSQL going away for a while', () => {
	let pg: PrivatePostgres;
	let app: RunningApp & { config: Config };
	const dir = tempDir('kuvend-outage-');
	dirs.push(dir);

	beforeAll(async () => {
		pg = await privatePostgres('sesame-kuvend');
		execFileSync('psql', [pg.url(), '-X', '-q', '-c', 'create database kuvend']);
	}, 120_000);
	afterAll(async () => {
		await app?.stop();
		await pg?.remove();
	});

	it('stops start-up with one line when PostgreSQL refuses the password, without echoing it', async () => {
		const line = await startupLine(pg.url('kuvend', 'not-the-password'));
		expect(line).toMatch(/^Kuvend could not start: DATABASE_URL: PostgreSQL at 127\.0\.0\.1:\d+ refused user "postgres" \(password authentication failed for user "postgres"\); fix the user name and password in DATABASE_URL\.$/);
		expect(line).not.toContain('not-the-password');
	}, 150_000);

	// What is checked: while PostgreSQL is stopped (an immediate stop, as a crash), a member's page is a 503 in their
	// language, a socket's request is refused with a code the client words, a form keeps nothing it did not save;
	// the outage is logged once; when PostgreSQL is back the same process serves again without a restart, and every
	// write acknowledged before the stop is there. Shown to fail without refusingPool (server/db/dialect/postgres.ts):
	// the page was a 500 saying something unexpected happened and the socket was answered 'internal'.
	it('refuses clearly while it is away, reconnects by itself, and loses nothing it acknowledged', async () => {
		const logged: string[] = [];
		const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info', RATE_LIMITS: 'relaxed', DATABASE_URL: pg.url('kuvend') });
		app = { ...(await startApp(config)), config };
		const log = app.ctx.logger as unknown as Record<'info' | 'warn' | 'error', (message: string, data?: unknown) => void>;
		for (const level of ['info', 'warn', 'error'] as const) {
			const original = log[level].bind(log);
			log[level] = (message, data) => (logged.push(message), original(message, data));
		}
		const member = await personByEmail(app, 'member1@demo.test');
		const greek = await personByEmail(app, 'member2@demo.test');
		const threadId = Number((await sql<{ id: number }>`select min(id) as id from threads`.execute(app.ctx.db)).rows[0].id);
		// Acknowledged before the outage.
		const before = await app.ctx.services.forumWriting.reply(member.auth, threadId, null, 'E pranuar para se të ndalej baza');
		const socket: Socket = connectSocket(app.url, { cookie: member.cookie, origin: app.url });
		expect(await connection(socket)).toBe('connected');

		await pg.stop();

		const page = await getPage(app.url, `/forum/t/${threadId}`, member.cookie);
		expect(page.status).toBe(503);
		expect(page.headers.get('retry-after')).toBe('5');
		const html = await page.text();
		expect(html).toContain('lang="sq"');
		expect(html).toContain('Kuvend nuk e arrin dot bazën e të dhënave tani. Provojeni sërish pas pak.');
		// Whose stored language cannot be read now: the language cookie the pages keep in step with it decides.
		const greekPage = await getPage(app.url, '/forum', `${greek.cookie}; ${LOCALE_COOKIE}=el`);
		expect(greekPage.status).toBe(503);
		expect(await greekPage.text()).toContain('Το Kuvend δεν μπορεί να συνδεθεί με τη βάση δεδομένων του αυτή τη στιγμή. Δοκιμάστε ξανά σε λίγο.');
		// A visitor whose browser asks for English, on a page no visitor had cached.
		const visitor = await fetch(`${app.url}/forum/t/${threadId}`, { headers: { accept: 'text/html', 'accept-language': 'en' } });
		expect(visitor.status).toBe(503);
		expect(await visitor.text()).toContain('Kuvend cannot reach its database right now. Try again in a moment.');
		const ack = await new Promise((resolve) => socket.emit('thread:watch', { threadId }, resolve));
		expect(ack).toEqual({ ok: false, code: 'unavailable', message: 'database_away' });
		const form = await postForm(app.url, `/forum/t/${threadId}?/reply`, { body: 'E shkruar kur baza mungonte' }, member.cookie);
		expect(form.status).toBe(503);
		// A form sent by an enhanced page says the database is away (the code the pages word so, not the full disk's
		// 'unavailable') and keeps what was typed: refused before its action ran (the session's look-up), and by the
		// action itself (a visitor's sign-in). Shown to fail without awayAction in src/lib/server/database-away.ts (an
		// HTML page the form could not read) and without failFrom's DATABASE_AWAY (code 'unavailable').
		expect(await enhancedForm(app.url, `/forum/t/${threadId}?/reply`, { body: 'E shkruar kur baza mungonte' }, member.cookie)).toEqual({
			status: 503,
			code: 'database_away',
			values: expect.objectContaining({ body: 'E shkruar kur baza mungonte' })
		});
		expect(await enhancedForm(app.url, '/login', { email: 'member1@demo.test', password: 'demo-kuvend' })).toEqual({
			status: 503,
			code: 'database_away',
			values: expect.objectContaining({ email: 'member1@demo.test' })
		});
		// One line for the outage, however many requests met it.
		expect(logged.filter((l) => l.startsWith('PostgreSQL is unreachable'))).toHaveLength(1);
		expect(logged.filter((l) => l.includes('idle PostgreSQL connection'))).toEqual([]);

		await pg.start();

		await expect.poll(async () => (await getPage(app.url, `/forum/t/${threadId}`, member.cookie)).status, { timeout: 30_000, interval: 250 }).toBe(200);
		expect(logged).toContain('PostgreSQL is reachable again');
		const text = await (await getPage(app.url, `/forum/t/${threadId}`, member.cookie)).text();
		expect(text).toContain('E pranuar para se të ndalej baza');
		expect(text).not.toContain('E shkruar kur baza mungonte');
		const { rows } = await sql<{ id: number }>`select id from posts where id = ${before}`.execute(app.ctx.db);
		expect(rows).toHaveLength(1);
		expect(await new Promise((resolve) => socket.emit('thread:watch', { threadId }, resolve))).toMatchObject({ ok: true });
		const after = await app.ctx.services.forumWriting.reply(member.auth, threadId, null, 'Pas kthimit të bazës');
		expect(after).toBeGreaterThan(before);
		socket.disconnect();
	}, 120_000);
});
