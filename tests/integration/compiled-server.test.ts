import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '../../server/cli/ensure-build.js';
import { signIn, spawnServer, tempDir } from './helpers/app.js';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * `npm start` runs build/server.js, compiled by esbuild with the migrations and the export worker beside it
 * (server/cli/build-server.ts), under plain node: nothing may reach for a .ts file at run time. Shown to fail with
 * MIGRATIONS_DIR pointing at migrations/ in the compiled server too (node cannot import the .ts migrations: the
 * server does not start), restored.
 */
describe('the compiled server (npm start)', () => {
	beforeAll(async () => {
		await ensureBuild();
	}, 600_000);

	it('migrates and seeds a new data folder, serves pages to a member, and stops cleanly', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const server = spawnServer({ PORT: '0', DATA_DIR: dir, NODE_ENV: 'production' }, { compiled: true });
		const url = await server.url;
		expect((await fetch(`${url}/healthz`)).status).toBe(200);
		// Every migration this code has ran, from the compiled copies (read from the SQLite file; on PostgreSQL,
		// `npm run test:pg`, the demo network being there below says the schema is).
		if (!process.env.KUVEND_TEST_POSTGRES) {
			const sources = fs.readdirSync('migrations').filter((f) => f.endsWith('.ts')).length;
			const db = new SQLite(path.join(dir, 'kuvend.db'), { readonly: true });
			const ran = (db.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n;
			db.close();
			expect(ran).toBe(sources);
		}
		// A member's thread page through SvelteKit, with the app context the compiled server published.
		const cookie = await signIn(url, 'member1@demo.test');
		const page = await fetch(`${url}/forum/t/1`, { headers: { cookie, accept: 'text/html' } });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('id="post-');
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
	}, 120_000);
});
