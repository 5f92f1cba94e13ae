/**
 * Phones (issue #21, point 4): the JavaScript each page makes a browser download, brotli-compressed as it travels,
 * and the long tasks of the live room and the ballot on a phone-class CPU (Chromium throttled 4× through the
 * DevTools protocol, tasks seen by a PerformanceObserver). Reported beside baselines, never asserted.
 *
 * Sizes count every script the page loads until the network is idle (its modulepreloads and what it imports once
 * mounted), each file compressed at brotli's highest quality from build/client, as adapter-node's precompressed
 * copies are served. The baseline is SvelteKit's own client entry with its imports, what any page of this app loads.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { BUILD_DIR } from '../../server/paths.js';
import { SESSION_COOKIE } from '../../src/lib/shared/session.js';
import { note, startBenchApp, type Row } from './lib.js';

const CLIENT_DIR = path.join(BUILD_DIR, 'client');
const CPU_THROTTLE = 4;
/** After the page is idle, how long long tasks are still collected (hydration, the socket's first state). */
const SETTLE_MS = 3_000;

const compressed = new Map<string, number>();
/** The brotli size of one built file (bytes), by its URL path. */
function brotliBytes(urlPath: string): number {
	let n = compressed.get(urlPath);
	if (n === undefined) {
		const file = path.join(CLIENT_DIR, decodeURIComponent(urlPath));
		n = zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
		compressed.set(urlPath, n);
	}
	return n;
}

/** The scripts a page loads until the network is idle, as URL paths under /_app/. */
async function scriptsOf(context: BrowserContext, url: string): Promise<string[]> {
	const page = await context.newPage();
	const scripts = new Set<string>();
	page.on('response', (res) => {
		const p = new URL(res.url()).pathname;
		if (p.startsWith('/_app/') && p.endsWith('.js') && res.ok()) scripts.add(p);
	});
	const res = await page.goto(url, { waitUntil: 'networkidle' });
	if (!res?.ok()) throw new Error(`GET ${url} answered ${res?.status()}`);
	await page.close();
	return [...scripts];
}

/** The long tasks (ms) while `url` loads and settles on a CPU throttled CPU_THROTTLE×. */
async function longTasks(context: BrowserContext, url: string): Promise<number[]> {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
	await page.addInitScript(() => {
		const seen: number[] = [];
		(window as unknown as { __longTasks: number[] }).__longTasks = seen;
		new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.push(e.duration))).observe({ type: 'longtask', buffered: true });
	});
	const res = await page.goto(url, { waitUntil: 'networkidle' });
	if (!res?.ok()) throw new Error(`GET ${url} answered ${res?.status()}`);
	await page.waitForTimeout(SETTLE_MS);
	const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
	await page.close();
	return tasks;
}

const kb = (bytes: number) => bytes / 1024;

export async function run(): Promise<Row[]> {
	const app = await startBenchApp({ pages: true });
	let browser: Browser | undefined;
	try {
		const db = app.ctx.sqlite;
		const first = (table: string) => (db.prepare(`select min(id) as id from ${table}`).get() as { id: number | null }).id;
		const [thread, draft, meeting, vote] = [first('threads'), first('drafts'), first('meetings'), first('votes')];
		if (!thread || !draft || !meeting || !vote) throw new Error('the demo network lacks a thread, draft, meeting or vote');
		const { token } = await app.ctx.services.auth.signIn({ email: 'coordinator@demo.test', password: 'demo-kuvend' });

		// The system's Chromium, as the browser tests launch it (playwright.config.ts).
		browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
		const member = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'sq-AL', deviceScaleFactor: 3, isMobile: true, hasTouch: true });
		await member.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(token), url: app.url }]);

		// The framework's floor: SvelteKit's client entry and what it imports (the manifest's client.imports), which
		// every page loads before any of its own code.
		const chunks = path.join(BUILD_DIR, 'server/chunks');
		const manifest = fs.readFileSync(path.join(chunks, fs.readdirSync(chunks).find((f) => /^manifest\.js-[^.]+\.js$/.test(f))!), 'utf8');
		const entryImports = manifest.match(/client:\s*\{[^}]*?imports:\[([^\]]*)\]/)?.[1] ?? '';
		const entry = [...new Set([...entryImports.matchAll(/"([^"]+\.js)"/g)].map((m) => `/${m[1]}`))];
		if (!entry.length) throw new Error('the client entry is not in the server manifest');
		const floor = entry.reduce((sum, p) => sum + brotliBytes(p), 0);

		const pages: [string, string, number][] = [
			['home', '/', 100],
			['thread', `/forum/t/${thread}`, 100],
			['draft editor', `/drafts/${draft}`, 200],
			['live room', `/meetings/${meeting}/live`, 120],
			['ballot', `/votes/${vote}`, 120]
		];
		const rows: Row[] = [];
		for (const [name, url, budget] of pages) {
			const scripts = await scriptsOf(member, `${app.url}${url}`);
			const bytes = scripts.reduce((sum, p) => sum + brotliBytes(p), 0);
			const largest = scripts.map((p) => [p, brotliBytes(p)] as const).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PHONES_LARGEST) || 3);
			note(`${name}: ${scripts.length} scripts, ${kb(bytes).toFixed(0)} KB; largest ${largest.map(([p, n]) => `${path.basename(p)} ${kb(n).toFixed(0)} KB`).join(', ')}`);
			const reported = name === 'ballot' ? undefined : { max: budget };
			rows.push({ figure: `JavaScript of the ${name} page, signed in (brotli)`, unit: 'KB', measured: kb(bytes), baseline: kb(floor), budget: reported });
		}

		// Long tasks on a phone-class CPU, beside the sign-in page (a form and the client entry) under the same throttle.
		const login = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'sq-AL', isMobile: true, hasTouch: true });
		const plain = await longTasks(login, `${app.url}/login`);
		for (const [name, url] of [
			['live room', `/meetings/${meeting}/live`],
			['ballot', `/votes/${vote}`]
		] as const) {
			const tasks = await longTasks(member, `${app.url}${url}`);
			note(`${name} at ${CPU_THROTTLE}× CPU throttle: ${tasks.length} long tasks (${tasks.map((t) => t.toFixed(0)).join(', ')} ms); sign-in page: ${plain.map((t) => t.toFixed(0)).join(', ') || 'none'}`);
			rows.push(
				{ figure: `${name}, ${CPU_THROTTLE}× throttled CPU: longest task`, unit: 'ms', measured: Math.max(0, ...tasks), baseline: Math.max(0, ...plain), budget: { max: 200 } },
				{ figure: `${name}, ${CPU_THROTTLE}× throttled CPU: long tasks in all`, unit: 'ms', measured: tasks.reduce((a, b) => a + b, 0), baseline: plain.reduce((a, b) => a + b, 0) }
			);
		}
		return rows;
	} finally {
		await browser?.close();
		await app.dispose();
	}
}
