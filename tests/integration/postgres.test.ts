import { afterAll, afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { openDatabase } from '../../server/db/client.js';
import { MigrationFolder, migrateToLatest } from '../../server/db/migrate.js';
import { openPostgres } from '../../server/db/dialect/postgres.js';
import { spawnServer, tempDir } from './helpers/app.js';
import { runKuvend } from './helpers/cli.js';
import { databaseEnv, dropTestDatabases, postgresAnswers } from './helpers/postgres.js';

// These run with `npm test` too where a PostgreSQL answers: the machines (and CI) have one on 127.0.0.1:5432 (issue
// #16). `npm test` must not need one, so without it the PostgreSQL cases are skipped (and vitest lists them skipped).
const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const PG = postgresAnswers(ADMIN_URL);
if (!PG) console.warn(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: its tests are skipped`);
const urlFor = (database: string, user = new URL(ADMIN_URL).username) => {
	const url = new URL(ADMIN_URL);
	url.pathname = `/${database}`;
	url.username = user;
	return url.toString();
};

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(() => dropTestDatabases());

/** The last migration written before PostgreSQL existed: what SQLite made up to it must never change. */
const BEFORE_POSTGRES = '2026-12-06T2330_participation_in_place';

describe('one set of migrations for SQLite and PostgreSQL', () => {
	// The fixture is sqlite_master of a database migrated by the migrations as they were before they learned of
	// PostgreSQL (dumped at commit 07326b9). Shown to fail: with `ddl()` (migrations/support/dialect.ts) dropping
	// "without rowid" on SQLite too, the SQL of every table made without rowid differed and this test failed.
	it('makes on SQLite exactly the schema it always made', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const { db, raw } = openDatabase(path.join(dir, 'kuvend.db'));
		try {
			const { error } = await new Migrator({ db, provider: new MigrationFolder() }).migrateTo(BEFORE_POSTGRES);
			expect(error).toBeUndefined();
			const schema = raw.prepare("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name").all();
			const fixture = JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/sqlite-schema-2026-12-06T2330.json'), 'utf8'));
			expect(schema).toEqual(fixture);
		} finally {
			await db.destroy();
		}
	});

	it.runIf(PG)('migrates PostgreSQL, once, with 64-bit integers and identity keys, and hands integers to JavaScript as numbers', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const { db } = await openPostgres(databaseEnv(dir, ADMIN_URL).DATABASE_URL, { poolSize: 2 });
		try {
			const first = await migrateToLatest(db);
			expect(first.created).toBe(true);
			expect(first.applied).toContain(BEFORE_POSTGRES);
			expect(await migrateToLatest(db)).toEqual({ created: false, applied: [] });

			const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string }>`
				select table_name, column_name, data_type, is_identity from information_schema.columns where table_schema = 'public'`.execute(db);
			const type = (table: string, column: string) => columns.rows.find((c) => c.table_name === table && c.column_name === column);
			// Millisecond timestamps overflow PostgreSQL's 32-bit integer: every SQLite integer is a bigint.
			expect(type('posts', 'created_at')?.data_type).toBe('bigint');
			expect(type('meeting_attendance', 'checked_in_at')?.data_type).toBe('bigint');
			expect(type('posts', 'id')).toMatchObject({ data_type: 'bigint', is_identity: 'YES' });
			expect(type('doc_updates', 'update')?.data_type).toBe('bytea');
			expect(type('meeting_speakers', 'position')?.data_type).toBe('double precision');
			expect(columns.rows.filter((c) => c.data_type === 'integer')).toEqual([]);

			// A new network starts with no fields of action (its seed or its coordinators add them, issue #15.4), and
			// the tables the later migrations made are there.
			const fields = await db.selectFrom('fields_of_action').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
			expect(fields.n).toBe(0);
			for (const table of ['network_profile', 'setup_links', 'network_setup']) expect(columns.rows.some((c) => c.table_name === table), table).toBe(true);
			const now = Date.now();
			const { id: fieldId } = await db
				.insertInto('fields_of_action')
				.values({ slug: 'music', name: JSON.stringify({ en: 'Music' }), position: 1 })
				.returning('id')
				.executeTakeFirstOrThrow();
			const { id } = await db
				.insertInto('users')
				.values({ email: 'a@example.test', display_name: 'A', role: 'member', status: 'active', locale: 'sq', created_at: now, updated_at: now })
				.returning('id')
				.executeTakeFirstOrThrow();
			const user = await db.selectFrom('users').select(['id', 'created_at', 'show_email']).where('id', '=', id).executeTakeFirstOrThrow();
			expect(user).toEqual({ id, created_at: now, show_email: 0 });
			expect(typeof id).toBe('number');
			// Kysely's portable insert-or-ignore compiles on both.
			const again = await db.insertInto('user_fields').values({ user_id: id, field_id: fieldId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
			const twice = await db.insertInto('user_fields').values({ user_id: id, field_id: fieldId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
			expect([Number(again.numInsertedOrUpdatedRows), Number(twice.numInsertedOrUpdatedRows)]).toEqual([1, 0]);
		} finally {
			await db.destroy();
		}
	});
});

describe.runIf(PG)('the command line on PostgreSQL', () => {
	it('migrates with db:migrate, naming the database without credentials, and says backups are pg_dump\'s', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const env = { DATA_DIR: dir, ...databaseEnv(dir, ADMIN_URL) };
		const migrated = await runKuvend([], env, 'server/cli/migrate.ts');
		expect(migrated.stderr).toBe('');
		expect(migrated.stdout).toMatch(/^Applied \d+ migration\(s\) to PostgreSQL at 127\.0\.0\.1:5432\/kuvend_t_[0-9a-f]+:/);
		const backup = await runKuvend(['backup'], env);
		expect(backup.code).toBe(1);
		expect(backup.stderr.trim()).toBe(
			'backup works on the SQLite file only; the database is PostgreSQL (DATABASE_URL): back it up with pg_dump (pg_dump --format=custom --file=kuvend.dump "$DATABASE_URL").'
		);
	});
});

describe('DATABASE_URL that cannot be used', () => {
	/** Starts the real entry point on `url` and returns what it printed: it must stop, with exactly one line. */
	async function startOn(url: string): Promise<string> {
		const dir = tempDir();
		dirs.push(dir);
		const server = spawnServer({ DATA_DIR: dir, PORT: '0', DATABASE_URL: url });
		server.url.catch(() => {}); // it never listens
		expect(await server.exit).toBe(1);
		const lines = server.output().trim().split('\n');
		expect(lines).toHaveLength(1);
		return lines[0];
	}

	it('stops start-up with one line when PostgreSQL cannot be reached', async () => {
		const url = new URL(ADMIN_URL);
		url.port = '1';
		const line = await startOn(url.toString());
		expect(line).toMatch(/^Kuvend could not start: DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\); start PostgreSQL or fix the host and port/);
	});

	it.runIf(PG)('stops start-up with one line naming a database that does not exist', async () => {
		const line = await startOn(urlFor('kuvend_no_such_database'));
		expect(line).toMatch(/^Kuvend could not start: DATABASE_URL: database "kuvend_no_such_database" does not exist on 127\.0\.0\.1:5432; create it/);
	});

	it.runIf(PG)('stops start-up with one line naming a user PostgreSQL refuses, without the password', async () => {
		const url = new URL(urlFor('test', 'kuvend_no_such_role'));
		url.password = 'secret-password';
		const line = await startOn(url.toString());
		expect(line).toMatch(/^Kuvend could not start: DATABASE_URL: PostgreSQL at 127\.0\.0\.1:5432 refused user "kuvend_no_such_role" .*fix the user name and password/);
		expect(line).not.toContain('secret-password');
	});

	it('refuses a DATABASE_URL that is not a postgres:// URL, without echoing it', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const server = spawnServer({ DATA_DIR: dir, PORT: '0', DATABASE_URL: 'mysql://root:secret-password@localhost/kuvend' });
		server.url.catch(() => {}); // it never listens
		expect(await server.exit).toBe(1);
		expect(server.output()).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
		expect(server.output()).not.toContain('secret-password');
	});
});
