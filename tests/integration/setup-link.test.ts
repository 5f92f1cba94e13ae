import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql, type RawBuilder } from 'kysely';
import { getPage, postForm, sessionCookieOf, spawnServer, tempDir } from './helpers/app.js';
import { withDatabaseOf } from './helpers/database.js';

/** The catalogues the pages are written from. */
const catalogue = (locale: string): Record<string, string> => JSON.parse(fs.readFileSync(`src/lib/i18n/messages/${locale}.json`, 'utf8'));
const el = catalogue('el');
const sq = catalogue('sq');

const dirs: string[] = [];
const children: ReturnType<typeof spawnServer>['child'][] = [];
afterEach(() => {
	for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Each test starts the real server several times, one after the other, on a loaded machine. */
const STARTS_TIMEOUT = 240_000;

/** A server on an empty database, as an operator starts one for a new network (standard rate limits). */
async function start(dir: string) {
	const server = spawnServer({ PORT: '0', DATA_DIR: dir, SEED: 'none', NODE_ENV: 'test' });
	children.push(server.child);
	const url = await server.url;
	return { ...server, url };
}

async function stop(server: { child: ReturnType<typeof spawnServer>['child']; exit: Promise<number | null> }) {
	server.child.kill('SIGTERM');
	expect(await server.exit).toBe(0);
}

/** The setup links in what the server printed, as the operator reads them. */
const printedLinks = (output: string) => [...output.matchAll(/https?:\/\/\S+\/setup\/[A-Za-z0-9_-]+/g)].map((m) => m[0]);

function newDir(): string {
	const dir = tempDir();
	dirs.push(dir);
	return dir;
}

/** The rows a query finds in the data folder's database (SQLite or PostgreSQL), read as the server left them. */
const query = <T>(dir: string, statement: RawBuilder<T>) => withDatabaseOf(dir, async (db) => (await statement.execute(db)).rows);

const countUsers = async (dir: string) => (await query<{ n: number }>(dir, sql`select count(*) as n from users`))[0].n;
const countCoordinators = async (dir: string) => (await query<{ n: number }>(dir, sql`select count(*) as n from users where role = 'coordinator' and status = 'active'`))[0].n;

const person = (email: string) => ({ name: 'Marsela Hoxha', email, next: 'a long and private passphrase', confirm: 'a long and private passphrase', locale: 'sq' });

describe('the first coordinator, from the setup link', () => {
	it('prints a link while no coordinator exists; it makes one coordinator once, signed in and led to the wizard; then the way is closed', async () => {
		const dir = newDir();

		// First start: one link among the start-up lines, before "Listening on".
		let server = await start(dir);
		const [first, ...more] = printedLinks(server.output());
		expect(more).toEqual([]);
		expect(first.startsWith(`${server.url}/setup/`)).toBe(true);
		expect(server.output().indexOf(first)).toBeLessThan(server.output().indexOf('Listening on'));
		// Only the hash is stored.
		const token = first.split('/setup/')[1];
		expect((await query<{ id: string }>(dir, sql`select id from setup_links`)).map((r) => r.id)).toEqual([createHash('sha256').update(token).digest('hex')]);
		await stop(server);

		// A restart while no coordinator exists: a new link, and the old one no longer works.
		server = await start(dir);
		const links = printedLinks(server.output());
		expect(links).toHaveLength(1);
		const link = links[0];
		expect(link).not.toBe(first);
		const oldPath = new URL(first).pathname;
		const setupPath = new URL(link).pathname;
		const invalid = await getPage(server.url, oldPath);
		expect(invalid.status).toBe(410);
		expect(await invalid.text()).toContain(sq.setup_link_invalid_title);
		expect((await postForm(server.url, oldPath, person('old@example.org'))).status).toBe(410);

		// Any other token, and an expired one, get the same page and create nothing.
		expect((await getPage(server.url, '/setup/' + 'x'.repeat(43))).status).toBe(410);
		expect((await postForm(server.url, '/setup/guessed', person('guess@example.org'))).status).toBe(410);
		const expired = 'expired-token-expired-token-expired-token-x';
		const now = Date.now();
		await withDatabaseOf(dir, (db) => db.insertInto('setup_links').values({ id: createHash('sha256').update(expired).digest('hex'), created_at: now - 25 * 3600_000, expires_at: now - 3600_000 }).execute(), { write: true });
		expect((await getPage(server.url, `/setup/${expired}`)).status).toBe(410);
		expect((await postForm(server.url, `/setup/${expired}`, person('late@example.org'))).status).toBe(410);
		expect(await countUsers(dir)).toBe(0);

		// The valid link shows the form.
		const form = await getPage(server.url, setupPath);
		expect(form.status).toBe(200);
		expect(await form.text()).toContain('name="next"');

		// Bad input: the problems in the reader's language, what they typed kept (never the password), nothing made.
		const greek = 'PARAGLIDE_LOCALE=el';
		const bad = await postForm(server.url, setupPath, { name: 'Μαρία Παπαδοπούλου', email: 'maria-at-example', next: 'short', confirm: 'other', locale: 'el' }, greek);
		expect(bad.status).toBe(400);
		const badHtml = await bad.text();
		expect(badHtml).toContain(el.form_error_email_invalid);
		expect(badHtml).toContain(el.form_error_password_short);
		expect(badHtml).toContain(el.form_error_password_mismatch);
		expect(badHtml).toContain('value="Μαρία Παπαδοπούλου"');
		expect(badHtml).toContain('value="maria-at-example"');
		expect(badHtml).not.toContain('value="short"');
		const mismatch = await postForm(server.url, setupPath, { ...person('maria@example.org'), confirm: 'a different passphrase', locale: 'el' }, greek);
		expect(mismatch.status).toBe(400);
		const mismatchHtml = await mismatch.text();
		expect(mismatchHtml).toContain(el.form_error_password_mismatch);
		expect(mismatchHtml).toContain('value="maria@example.org"');
		expect(await countUsers(dir)).toBe(0);

		// The first coordinator: created active, signed in, led into the wizard; the act in the audit trail.
		const made = await postForm(server.url, setupPath, { ...person('Marsela@Example.org'), locale: 'en' });
		expect(made.status).toBe(303);
		expect(made.headers.get('location')).toBe('/coordination/setup');
		const cookie = sessionCookieOf(made);
		expect(cookie).not.toBeNull();
		const wizard = await getPage(server.url, '/coordination/setup', cookie!);
		expect(wizard.status).toBe(200);
		const wizardHtml = await wizard.text();
		expect(wizardHtml).toContain('Set up the network');
		expect(wizardHtml).toContain('href="/coordination/network?setup=1"');
		const users = await query<{ email: string; role: string; status: string; locale: string; display_name: string }>(dir, sql`select email, role, status, locale, display_name from users`);
		expect(users).toEqual([{ email: 'marsela@example.org', role: 'coordinator', status: 'active', locale: 'en', display_name: 'Marsela Hoxha' }]);
		expect(await query<{ action: string; data: string }>(dir, sql`select action, data from audit_log`)).toEqual([
			{ action: 'setup.first_coordinator', data: JSON.stringify({ role: 'coordinator', by: 'setup link' }) }
		]);
		// They are offered the setup from /coordination until they finish it.
		expect(await (await getPage(server.url, '/coordination', cookie!)).text()).toContain('href="/coordination/setup"');

		// The link is spent: with a coordinator in place the way is closed (404), used or not.
		expect((await getPage(server.url, setupPath)).status).toBe(404);
		expect((await postForm(server.url, setupPath, person('second@example.org'))).status).toBe(404);
		expect(await countUsers(dir)).toBe(1);

		// Finishing the setup: /coordination stops offering it.
		expect((await postForm(server.url, '/coordination/setup?/finish', {}, cookie!)).status).toBe(200);
		expect(await (await getPage(server.url, '/coordination', cookie!)).text()).not.toContain('href="/coordination/setup"');
		await stop(server);

		// A restart with a coordinator: no link printed, and /setup/* is gone.
		server = await start(dir);
		expect(printedLinks(server.output())).toEqual([]);
		expect((await getPage(server.url, '/setup/x')).status).toBe(404);
		expect((await getPage(server.url, setupPath)).status).toBe(404);
		// Every link printed is spent: one made the coordinator, the other was voided by it (the expired row is this test's).
		expect((await query<{ n: number }>(dir, sql`select count(*) as n from setup_links where used_at is null and expires_at > ${Date.now()}`))[0].n).toBe(0);
		expect((await query<{ n: number }>(dir, sql`select count(*) as n from setup_links where user_id is not null`))[0].n).toBe(1);
		await stop(server);
	}, STARTS_TIMEOUT);

	// Without the guard — consumeSetupLink's result ignored in SetupService.createFirstCoordinator (seen by making it
	// `await consumeSetupLink(...)` without the check) — both submissions were answered 303 and two coordinators
	// were made from one link.
	it('makes one coordinator from two simultaneous submissions of one link', async () => {
		const dir = newDir();
		const server = await start(dir);
		const [link] = printedLinks(server.output());
		const setupPath = new URL(link).pathname;
		const answers = await Promise.all([postForm(server.url, setupPath, person('first@example.org')), postForm(server.url, setupPath, person('second@example.org'))]);
		// The other is refused: 410 when both read the link before either used it, 404 when the machine was busy enough
		// that the first had made its coordinator (the way closed) before the second was read.
		const [made, refused] = answers.map((r) => r.status).sort();
		expect(made).toBe(303);
		expect([404, 410]).toContain(refused);
		expect(await countUsers(dir)).toBe(1);
		expect(await countCoordinators(dir)).toBe(1);
		await stop(server);
	}, STARTS_TIMEOUT);

	it('refuses an address that keeps trying links that are not valid, even a valid one for a while', async () => {
		const dir = newDir();
		const server = await start(dir);
		const [link] = printedLinks(server.output());
		for (let i = 0; i < 10; i++) expect((await getPage(server.url, `/setup/guess-${i}`)).status).toBe(410);
		expect((await getPage(server.url, '/setup/guess-10')).status).toBe(429);
		expect((await getPage(server.url, new URL(link).pathname)).status).toBe(429);
		expect((await postForm(server.url, new URL(link).pathname, person('late@example.org'))).status).toBe(429);
		expect(await countUsers(dir)).toBe(0);
		await stop(server);
	}, STARTS_TIMEOUT);
});

describe('the demo network', () => {
	it('prints no setup link: SEED=demo made its coordinator', async () => {
		const dir = newDir();
		const server = spawnServer({ PORT: '0', DATA_DIR: dir, NODE_ENV: 'test', RATE_LIMITS: 'relaxed' });
		children.push(server.child);
		const url = await server.url;
		expect(printedLinks(server.output())).toEqual([]);
		expect((await getPage(url, '/setup/anything')).status).toBe(404);
		await stop(server);
	}, STARTS_TIMEOUT);
});
