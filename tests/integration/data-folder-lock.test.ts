import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { spawnServer, tempDir } from './helpers/app.js';

const dirs: string[] = [];
const children: ReturnType<typeof spawnServer>['child'][] = [];
afterEach(() => {
	for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Each test starts two server processes one after the other. */
const STARTS_TIMEOUT = 120_000;

function start(dir: string) {
	const server = spawnServer({ PORT: '0', DATA_DIR: dir, SEED: 'none' });
	children.push(server.child);
	return server;
}

// Without lockDataFolder in startApp (seen by replacing the call with a lock that does nothing) the second server
// started and served the same database (the first test waited in vain for it to stop); the one stopped last then
// wrote its copy of every draft over the other's.
describe('one process per data folder', () => {
	it('refuses a second server on the same data folder with one line naming the first, which keeps serving', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const first = start(dir);
		const url = await first.url;

		const second = start(dir);
		const outcome = await Promise.race([second.exit.then(() => 'stopped'), second.url.then((u) => `serving ${u}`, () => 'stopped')]);
		expect(outcome).toBe('stopped');
		expect(await second.exit).toBe(1);
		const lines = second.output().trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('already served by');
		expect(lines[0]).toContain(`pid ${first.child.pid}`);
		expect(lines[0]).toContain(url);

		expect((await fetch(`${url}/healthz`)).status).toBe(200);
		first.child.kill('SIGTERM');
		expect(await first.exit).toBe(0);
	}, STARTS_TIMEOUT);

	it('is free again after the first server is killed without a chance to clean up', async () => {
		const dir = tempDir();
		dirs.push(dir);
		const first = start(dir);
		await first.url;
		first.child.kill('SIGKILL');
		await first.exit;

		const next = start(dir);
		const url = await next.url;
		expect((await fetch(`${url}/healthz`)).status).toBe(200);
		next.child.kill('SIGTERM');
		expect(await next.exit).toBe(0);
	}, STARTS_TIMEOUT);
});
