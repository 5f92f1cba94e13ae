import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, postForm, signIn, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { openDatabase } from '../../server/db/client.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openPostgres } from '../../server/db/dialect/postgres.js';
import { databaseEnv, dropDatabaseOf, onPostgres } from './helpers/postgres.js';
import { cliEntry } from './helpers/cli.js';

// Issue #15 point 2 (the account commands) and issue #14 point 4 (without SMTP a reset link comes only from the
// admin command line, audited). The command runs as its own process against the SQLite file of a running server
// (no SMTP_URL), and its link is used on that server.
let app: TestApp;

beforeAll(async () => {
	app = await startTestApp();
});
afterAll(async () => app?.dispose());

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function kuvend(args: string[], env: Record<string, string> = {}): Promise<Run> {
	const child = spawn(process.execPath, [...cliEntry('server/cli/kuvend.ts'), ...args], {
		env: { PATH: process.env.PATH, DATA_DIR: app.dataDir, ORIGIN: app.url, LOG_LEVEL: 'error', ...databaseEnv(app.dataDir), ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const linkIn = (run: Run) => {
	expect(run.stderr).toBe('');
	expect(run.code).toBe(0);
	return new URL(/^(http:\/\/\S+\/forgot\/[A-Za-z0-9_-]+)$/m.exec(run.stdout)![1]).pathname;
};

type Counted = 'users' | 'password_resets' | 'audit_log' | 'outbox';
const count = async (table: Counted) => Number((await app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const counts = () => Promise.all((['users', 'password_resets', 'audit_log', 'outbox'] as const).map(count));
const userByEmail = (email: string) => app.ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();

async function setPassword(linkPath: string, password: string): Promise<void> {
	expect(await (await getPage(app.url, linkPath)).text()).not.toContain('Kjo lidhje ka skaduar');
	const res = await postForm(app.url, linkPath, { next: password, confirm: password });
	expect(res.status).toBe(303);
}

describe('without SMTP', () => {
	it('makes no reset link at /forgot, and says whom to ask', async () => {
		// Without the mailDelivers check in AccountService, a live link waits in the outbox for nobody to deliver it.
		const page = await postForm(app.url, '/forgot', { email: 'member1@demo.test' });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Ky Kuvend nuk dërgon ende email.');
		await app.ctx.services.account.settleResets();
		expect(await count('password_resets')).toBe(0);
		expect(await app.ctx.db.selectFrom('outbox').select('id').where('to_address', '=', 'member1@demo.test').execute()).toEqual([]);
	});
});

describe('npm run kuvend -- password reset', () => {
	it('prints a link that sets a new password on the running server, and is audited', async () => {
		const run = await kuvend(['password', 'reset', 'Member1@demo.test']);
		expect(run.stdout).toContain('Link to set a new password for');
		await setPassword(linkIn(run), 'set-from-the-command-line');
		expect(await signIn(app.url, 'member1@demo.test', 'set-from-the-command-line')).toBeTruthy();
		const user = await userByEmail('member1@demo.test');
		const trail = await app.ctx.db.selectFrom('audit_log').selectAll().where('subject_id', '=', String(user.id)).where('action', '=', 'account.password_link_issued').execute();
		expect(trail).toMatchObject([{ actor_id: null, data: JSON.stringify({ by: 'command line' }) }]);
	});

	it('prints its help and changes nothing', async () => {
		const before = await counts();
		const run = await kuvend(['password', 'reset', '--help']);
		expect(run.code).toBe(0);
		expect(run.stdout.split('\n')[0]).toBe('Usage: npm run kuvend -- password reset <email>');
		expect(await counts()).toEqual(before);
	});
});

describe('npm run kuvend -- coordinator add', () => {
	it('creates a coordinator who sets a password with the printed link and signs in', async () => {
		const run = await kuvend(['coordinator', 'add', 'drita.mema@example.org']);
		expect(run.stdout.split('\n')[0]).toBe('Created a coordinator account: Drita Mema <drita.mema@example.org>.');
		await setPassword(linkIn(run), 'first-coordinator-pass');
		const cookie = await signIn(app.url, 'drita.mema@example.org', 'first-coordinator-pass');
		expect((await getPage(app.url, '/coordination', cookie)).status).toBe(200);
		// The audit log names the command line, not a member.
		const audit = await (await getPage(app.url, '/coordination/audit', cookie)).text();
		expect(audit).toContain('Linja e komandave e serverit');
		expect(audit).toContain('Krijoi një llogari');
	});

	it('promotes an existing member', async () => {
		const run = await kuvend(['coordinator', 'add', 'member5@demo.test']);
		expect(run.stdout).toContain('Made the member a coordinator:');
		linkIn(run);
		expect((await userByEmail('member5@demo.test')).role).toBe('coordinator');
	});
});

describe('mail that waits for an SMTP server', () => {
	it('is dropped when its account is deleted', async () => {
		// Without deleteMailTo() in AccountService.deleteAccount, the "password changed" mail stays in the outbox and
		// goes out, to the deleted member's address, once SMTP is set up.
		await setPassword(linkIn(await kuvend(['password', 'reset', 'member3@demo.test'])), 'member-three-new-pass');
		const waiting = () => app.ctx.db.selectFrom('outbox').select('subject').where('to_address', '=', 'member3@demo.test').execute();
		expect(await waiting()).toEqual([{ subject: 'Fjalëkalimi juaj u ndryshua' }]);
		const me = await signIn(app.url, 'member3@demo.test', 'member-three-new-pass');
		expect((await postForm(app.url, '/settings/data?/delete', { password: 'member-three-new-pass' }, me)).status).toBe(303);
		expect(await waiting()).toEqual([]);
	});
});

describe('refusals: one line naming what to fix, exit code 1, nothing changed', () => {
	it('refuses wrong arguments, emails and accounts', async () => {
		const applicant = await postForm(app.url, '/join', {
			kind: 'individual',
			name: 'Arben Aplikanti',
			email: 'arben@example.org',
			password: 'nje-fjalekalim-i-gjate',
			city: 'Korçë',
			fields: 'music',
			motivation: 'Dua të marr pjesë në rrjet si muzikant i pavarur.'
		});
		expect(applicant.status).toBe(303);
		const before = await counts();
		const cases: [string[], string][] = [
			[['password', 'reset'], 'Give the email address. Usage: npm run kuvend -- password reset <email>'],
			[['password', 'reset', 'a@example.org', 'b@example.org'], 'Give exactly one email address. Usage: npm run kuvend -- password reset <email>'],
			[['password', 'reset', 'not-an-email'], '"not-an-email" is not an email address.'],
			[['password', 'reset', 'nobody@demo.test'], 'No account has the email nobody@demo.test.'],
			[['coordinator', 'add', 'nobody@@demo'], '"nobody@@demo" is not an email address.'],
			[['coordinator', 'add', 'arben@example.org'], 'arben@example.org has applied to join: approve the application first, then run this again.']
		];
		const runs = await Promise.all(cases.map(([args]) => kuvend(args)));
		for (const [i, run] of runs.entries()) {
			expect({ args: cases[i][0], code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ args: cases[i][0], code: 1, stderr: `${cases[i][1]}\n`, stdout: '' });
		}
		expect(await counts()).toEqual(before);
	});

	it('refuses a database that is missing, behind the schema or ahead of it, without creating or changing it', async () => {
		// Without the checks in withOperator (server/cli/commands/operator.ts), the first run creates an empty
		// database file, the first two fail with "password reset failed: no such table: users" and the third acts.
		// On PostgreSQL the same three: a database that does not exist, an empty one, one a newer Kuvend migrated.
		const dir = tempDir();
		try {
			if (onPostgres) {
				const url = new URL(databaseEnv(dir).DATABASE_URL);
				url.pathname = '/kuvend_t_no_such_database';
				const missing = await kuvend(['password', 'reset', 'member2@demo.test'], { DATA_DIR: path.join(dir, 'none'), DATABASE_URL: url.toString() });
				expect(missing.code).toBe(1);
				expect(missing.stderr).toMatch(/kuvend_t_no_such_database.*\n$/);
				expect(missing.stderr.trim().split('\n')).toHaveLength(1);
			} else {
				const missing = await kuvend(['password', 'reset', 'member2@demo.test'], { DATA_DIR: path.join(dir, 'none') });
				expect(missing.code).toBe(1);
				expect(missing.stderr).toMatch(/^No database at .*none\/kuvend\.db: set DATA_DIR \(or DATABASE_FILE\) to the server's, or start the server once\.\n$/);
				expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
				new SQLite(path.join(dir, 'kuvend.db')).close();
			}
			const behind = await kuvend(['password', 'reset', 'member2@demo.test'], { DATA_DIR: dir, ...databaseEnv(dir) });
			expect(behind.code).toBe(1);
			expect(behind.stderr).toMatch(/is not at the latest schema \(\d+ migration\(s\) to run\): run "npm run db:migrate" first\.\n$/);
			// A database a newer Kuvend has migrated: this code must not write to it.
			const ahead = path.join(dir, 'ahead');
			const aheadUrl = databaseEnv(ahead).DATABASE_URL;
			const db = aheadUrl ? (await openPostgres(aheadUrl, { poolSize: 1 })).db : openDatabase(path.join(ahead, 'kuvend.db')).db;
			await migrateToLatest(db);
			await db.insertInto('kysely_migration' as never).values({ name: '2099-01-01T0000_future', timestamp: new Date().toISOString() } as never).execute();
			await db.destroy();
			const newer = await kuvend(['password', 'reset', 'member2@demo.test'], { DATA_DIR: ahead, ...databaseEnv(ahead) });
			expect(newer.code).toBe(1);
			expect(newer.stderr).toMatch(/was written by a newer Kuvend \(migration 2099-01-01T0000_future\): run this command from that version\.\n$/);
		} finally {
			dropDatabaseOf(dir);
			dropDatabaseOf(path.join(dir, 'ahead'));
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
