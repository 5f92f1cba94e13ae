import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../server/db/client.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { prepared, preparedShapes } from '../../server/db/prepared.js';
import { tempDir } from './helpers/app.js';

let dir: string;
let db: Db | undefined;
afterEach(async () => {
	await db?.destroy();
	db = undefined;
	fs.rmSync(dir, { recursive: true, force: true });
});

function open() {
	dir = tempDir();
	const file = path.join(dir, 'kuvend.db');
	const opened = openDatabase(file);
	db = opened.db;
	return { ...opened, file };
}

describe('the embedded database', () => {
	it('runs in WAL mode with foreign keys and a busy timeout', () => {
		const { raw } = open();
		expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(raw.pragma('busy_timeout', { simple: true })).toBe(5000);
	});

	it('migrates a new file to the latest schema, once', async () => {
		const { db } = open();
		const first = await migrateToLatest(db);
		expect(first.created).toBe(true);
		expect(first.applied.length).toBeGreaterThan(0);
		// A new network starts with no field of action (migrations/2026-12-07T0200_fields_as_data.ts): its
		// coordinators add their own; the demo seed adds the SPK's.
		expect(await db.selectFrom('fields_of_action').select('slug').execute()).toEqual([]);
		expect(await db.selectFrom('categories').select('slug').execute()).toEqual([]);
		const again = await migrateToLatest(db);
		expect(again).toEqual({ created: false, applied: [] });
	});

	it('enforces foreign keys', async () => {
		const { db } = open();
		await migrateToLatest(db);
		await expect(
			db.insertInto('sessions').values({ id: 'x', user_id: 999, created_at: 0, last_seen_at: 0, expires_at: 1, absolute_expires_at: 1, user_agent: null, ip: null }).execute()
		).rejects.toThrow(/FOREIGN KEY/);
	});

	// Shown to fail without the guard: with Kysely's default "begin" (deferred), the second connection takes the
	// write lock while our transaction is still only reading, and this test's expectation breaks.
	it('takes the write lock when a transaction begins (BEGIN IMMEDIATE)', async () => {
		const { db, file } = open();
		await migrateToLatest(db);
		const other = new SQLite(file);
		other.pragma('busy_timeout = 0');
		try {
			await db.transaction().execute(async (trx) => {
				await sql`select count(*) from users`.execute(trx);
				expect(() => other.prepare('begin immediate').run()).toThrow(/locked|busy/i);
			});
			other.prepare('begin immediate').run();
			other.prepare('rollback').run();
		} finally {
			other.close();
		}
	});

	it('runs a query compiled once with new values each time, by name, keeping its constants', async () => {
		const { db } = open();
		await migrateToLatest(db);
		let builds = 0;
		// `slug` twice and a constant between: each value goes where its name was used.
		const find = prepared((db, p: { slug: string; position: number }) => {
			builds++;
			return db
				.selectFrom('fields_of_action')
				.select((eb) => ['slug', eb.val(7).as('seven')])
				.where((eb) => eb.or([eb('slug', '=', p.slug), eb('position', '=', p.position)]))
				.where('slug', '<>', sql<string>`upper(${p.slug})`)
				.orderBy('position')
				.compile();
		});
		await db.insertInto('fields_of_action').values(['a', 'b', 'c'].map((slug, i) => ({ slug, position: i + 1 }))).execute();
		const [first] = await db.selectFrom('fields_of_action').select(['slug', 'position']).orderBy('position').limit(1).execute();
		const [last] = await db.selectFrom('fields_of_action').select(['slug', 'position']).orderBy('position', 'desc').limit(1).execute();
		expect((await find(db, { slug: first.slug, position: -1 })).rows).toEqual([{ slug: first.slug, seven: 7 }]);
		await db.transaction().execute(async (trx) => {
			expect((await find(trx, { slug: 'none', position: last.position })).rows).toEqual([{ slug: last.slug, seven: 7 }]);
		});
		expect(builds).toBe(1);
	});

	it('compiles a query with optional filters once per set of filters asked for', async () => {
		const { db } = open();
		await migrateToLatest(db);
		const built: string[] = [];
		const find = preparedShapes(
			(q: { from?: number; slug?: string }) => ({ from: q.from !== undefined, slug: q.slug !== undefined }),
			(db, p, has) => {
				built.push(JSON.stringify(has));
				return db
					.selectFrom('fields_of_action')
					.select('slug')
					.$if(has.from, (q) => q.where('position', '>=', p.from!))
					.$if(has.slug, (q) => q.where('slug', '=', p.slug!))
					.orderBy('position')
					.compile();
			}
		);
		await db.insertInto('fields_of_action').values(['a', 'b', 'c'].map((slug, i) => ({ slug, position: i + 1 }))).execute();
		const slugs = async (q: { from?: number; slug?: string }) => (await find(db, q)).rows.map((r) => r.slug);
		expect(await slugs({})).toEqual(['a', 'b', 'c']);
		expect(await slugs({ from: 2 })).toEqual(['b', 'c']);
		expect(await slugs({ from: 3 })).toEqual(['c']);
		expect(await slugs({ from: 1, slug: 'b' })).toEqual(['b']);
		expect(await slugs({ from: 2, slug: 'a' })).toEqual([]);
		expect(await slugs({})).toEqual(['a', 'b', 'c']);
		expect(built).toEqual(['{"from":false,"slug":false}', '{"from":true,"slug":false}', '{"from":true,"slug":true}']);
	});
});
