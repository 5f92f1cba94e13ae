import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { spawnServer as run, signIn, tempDir } from './helpers/app.js';
import { withDatabaseOf } from './helpers/database.js';

/** Rows in a table of the data folder's database (SQLite or PostgreSQL), as the stopped server left it. */
const countIn = (dir: string, table: 'users' | 'sessions' | 'fields_of_action') =>
	withDatabaseOf(dir, async (db) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the server process', () => {
	it('starts on a new data folder with the demo network, prints the URL and the demo sign-in', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const server = run({ PORT: '0', DATA_DIR: dir });
		const url = await server.url;
		expect(server.output()).toContain('Kuvend is running at');
		expect(server.output()).toContain('coordinator@demo.test / demo-kuvend');
		expect((await fetch(`${url}/healthz`)).status).toBe(200);

		// SIGTERM: open sockets are closed, the database is checkpointed and closed, and the process exits 0.
		const cookie = await signIn(url, 'member1@demo.test');
		const socket = io(url, { path: '/socket.io/', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
		await new Promise<void>((r) => socket.once('connect', () => r()));
		const dropped = new Promise<void>((r) => socket.once('disconnect', () => r()));
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
		await dropped;
		expect(fs.existsSync(path.join(dir, 'kuvend.db-wal')) ? fs.statSync(path.join(dir, 'kuvend.db-wal')).size : 0).toBe(0);
		expect(await countIn(dir, 'users')).toBe(20);
		expect(await countIn(dir, 'sessions')).toBe(1);
	});

	it('starts without demo data when SEED=none', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const server = run({ PORT: '0', DATA_DIR: dir, SEED: 'none' });
		await server.url;
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(0);
		expect(await countIn(dir, 'users')).toBe(0);
		// No field of action is hard-wired: a network without the demo starts with none.
		expect(await countIn(dir, 'fields_of_action')).toBe(0);
	});

	it('stops at start-up on invalid configuration, saying what to fix', async () => {
		const server = run({ PORT: 'eighty', DATA_DIR: tempDir() });
		expect(await server.exit).toBe(1);
		expect(server.output()).toMatch(/Invalid configuration:\n\s+- PORT: .*\(got "eighty"\)/);
		await expect(server.url).rejects.toThrow();
	});
});
