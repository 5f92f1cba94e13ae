import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { postForm, signIn, spawnServer, startTestApp, tempDir, type TestApp } from './helpers/app.js';
import { provider, synced, writeParagraphs } from './helpers/yjs.js';

const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A draft holds the editor's nodes only: each token is a paragraph of its own. */
const tokens = (doc: Y.Doc) => doc.getXmlFragment('default').toArray().map((p) => (p as Y.XmlElement).get(0).toString());

describe('drafts survive the server dying', () => {
	// Fails when updates are written after they are relayed on a timer (checked with a 200 ms deferred write: 104
	// tokens lost); the write-before-relay order itself is proven by the failing-disk test in drafts.test.ts.
	it('keeps every update any client had received when the server is killed with SIGKILL at random moments', async () => {
		const dir = tempDir();
		dirs.push(dir);
		let server = spawnServer({ PORT: '0', DATA_DIR: dir, RATE_LIMITS: 'relaxed', NODE_ENV: 'test' });
		let url = await server.url;
		const created = await postForm(url, '/drafts/new', { title: 'Teksti që nuk humbet', summary: '', group: '', field: 'theatre', visibility: 'members' }, await signIn(url, 'member1@demo.test'));
		const name = `draft:${created.headers.get('location')!.split('/').pop()}`;
		const mustHave = new Set<string>();
		let seed = 7;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

		for (let round = 0; round < 3; round++) {
			const cookie = await signIn(url, `member${round + 2}@demo.test`);
			const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
			const providers = docs.map((d) => provider(url, d, name, cookie));
			await Promise.all(providers.map(synced));
			// Each client appends its own tokens as fast as a typist; a token another client holds came through the server.
			let typing = true;
			const typists = docs.map(async (d, c) => {
				for (let n = 0; typing; n++) {
					writeParagraphs(d, [`r${round}-c${c}-${n}`]);
					await sleep(2 + Math.floor(random() * 8));
				}
			});
			await sleep(300 + Math.floor(random() * 900));
			server.child.kill('SIGKILL');
			await server.exit;
			typing = false;
			await Promise.all(typists);
			await sleep(50); // let frames the server sent before it died be read
			docs.forEach((d, c) => tokens(d).forEach((t) => !t.includes(`-c${c}-`) || !t.startsWith(`r${round}-`) ? mustHave.add(t) : undefined));
			for (const p of providers) p.destroy(); // they must not hand their copies back to the new server

			server = spawnServer({ PORT: '0', DATA_DIR: dir, RATE_LIMITS: 'relaxed', NODE_ENV: 'test' });
			url = await server.url;
			const check = new Y.Doc();
			const pc = provider(url, check, name, await signIn(url, 'member1@demo.test'));
			await synced(pc);
			const stored = new Set(tokens(check));
			const lost = [...mustHave].filter((t) => !stored.has(t));
			expect(lost).toEqual([]);
			expect(mustHave.size).toBeGreaterThan(10 * (round + 1)); // the clients really exchanged updates
			pc.destroy();
		}
		server.child.kill('SIGTERM');
		await server.exit;
		// Four servers started from the sources: 20 s on a quiet machine, over 60 s beside the PostgreSQL suite in CI.
	}, 180_000);
});

describe('documents in memory', () => {
	let app: TestApp;
	afterAll(async () => app?.dispose());

	// Memory is the documents service's own (the same code on either database): on PostgreSQL each opening adds round
	// trips (the session, the load, the append, the merge), 100 s and more of CI's time for nothing this test looks
	// at, so it runs on SQLite only. Three rounds after the warm-up: a document kept after it closed (kilobytes each)
	// still grows the heap by tens of megabytes over 3,000 openings.
	it.skipIf(!!process.env.KUVEND_TEST_POSTGRES)('opens and closes 1,000 documents three times: all unloaded, memory back within 10%', async () => {
		app = await startTestApp({ DOC_IDLE_SECONDS: '0' });
		app.ctx.services.documentAccess.register('mem', async (auth) => (auth ? 'write' : null));
		const cookie = await signIn(app.url, 'member1@demo.test');
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		// One client's message: sync step 1 and a small edit, as an editor opening a document and typing a word.
		const edit = (i: number) => {
			const d = new Y.Doc();
			d.getText('t').insert(0, `fjala ${i}`);
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(d));
			return encoding.toUint8Array(e);
		};
		const open = (i: number) =>
			new Promise<void>((resolve, reject) => {
				const ws = new WebSocket(`${app.url.replace('http', 'ws')}/yjs/mem:${i}`, { headers: { cookie, origin: app.url } });
				ws.on('message', () => {
					// The server's sync step 1 arrived: the document is loaded. Type, then leave.
					ws.send(edit(i), () => ws.close());
				});
				ws.on('close', () => resolve());
				ws.on('error', reject);
			});
		const round = async () => {
			for (let i = 0; i < 1000; i += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => open(i + k)));
			await expect.poll(() => app.ctx.services.documents.loaded, { timeout: 5000 }).toBe(0);
		};
		await round(); // warm-up: code paths compiled, statements prepared
		gc();
		const start = process.memoryUsage().heapUsed;
		for (let r = 0; r < 3; r++) await round();
		gc();
		const end = process.memoryUsage().heapUsed;
		expect(app.ctx.services.documents.loaded).toBe(0);
		expect(app.yjs.openDocuments).toBe(0);
		expect(end / start).toBeLessThan(1.1);
		// And every document kept what was typed into it.
		const state = new Y.Doc();
		Y.applyUpdate(state, await app.ctx.services.documents.state('mem:999'));
		expect(state.getText('t').toString()).toContain('fjala 999');
	}, 240_000);
});
