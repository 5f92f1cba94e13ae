import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig, type Config } from '../../../server/config.js';
import { startApp, type RunningApp } from '../../../server/app.js';
import { DEMO_PASSWORD } from '../../../server/db/seed/demo.js';
import { serverBuildIsFresh } from '../../../server/cli/ensure-build.js';
import type { Authenticated } from '../../../server/services/auth.service.js';
import { databaseEnv, dropDatabaseOf } from './postgres.js';
import { clearRedisOf, redisEnv, TEST_BALLOT_KEY } from './redis.js';

export interface TestApp extends RunningApp {
	dataDir: string;
	config: Config;
	/** Stops the server and removes its data directory. */
	dispose(): Promise<void>;
}

export function tempDir(prefix = 'kuvend-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** What every server a test starts is given: port 0 on loopback, quiet, relaxed limits, its data in `dataDir`. */
const testEnv = (dataDir: string) => ({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', RATE_LIMITS: 'relaxed' });

/**
 * The real server on port 0 with a fresh SQLite file in a temporary folder (or, under `npm run test:pg`, a fresh
 * PostgreSQL database and a part of Redis of its own), seeded with the demo network.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
	const dataDir = tempDir();
	const config = loadConfig({ ...testEnv(dataDir), ...databaseEnv(dataDir), ...redisEnv(dataDir), ...env });
	const app = await startApp(config);
	return {
		...app,
		dataDir,
		config,
		async dispose() {
			await app.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
			dropDatabaseOf(dataDir);
			await clearRedisOf(dataDir);
		}
	};
}

/**
 * The configuration of a node started in the test's own process that shares `database` and Redis (under `prefix`)
 * with other nodes, in its own data folder.
 */
export function sharingNodeConfig(dataDir: string, shared: { database: string; redisUrl: string; prefix: string }, env: Record<string, string> = {}): Config {
	return loadConfig({ ...testEnv(dataDir), DATABASE_URL: shared.database, REDIS_URL: shared.redisUrl, REDIS_PREFIX: shared.prefix, BALLOT_KEY: TEST_BALLOT_KEY, ...env });
}

/** Signs in through the /login form action as a browser would; returns the session cookie ("name=value"). */
export async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
	const res = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password })
	});
	if (res.status !== 303) throw new Error(`sign-in as ${email} failed with ${res.status}`);
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kuvend_session='));
	if (!cookie) throw new Error('no session cookie');
	return cookie.split(';')[0];
}

/** Signs in through the form and returns the cookie with the session as services see it. */
export async function signInAs(app: TestApp, email: string): Promise<{ cookie: string; auth: Authenticated }> {
	const cookie = await signIn(app.url, email);
	const auth = await app.ctx.services.auth.authenticate(decodeURIComponent(cookie.split('=')[1]));
	if (!auth) throw new Error(`no session for ${email}`);
	return { cookie, auth };
}

/** Posts a form the way a browser does (same origin, HTML accepted), without following redirects. */
export function postForm(baseUrl: string, path: string, body: Record<string, string | string[]>, cookie?: string): Promise<Response> {
	const form = new URLSearchParams();
	for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
	return fetch(baseUrl + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
		body: form
	});
}

/** GETs a page as a browser would, without following redirects. */
export function getPage(baseUrl: string, path: string, cookie?: string): Promise<Response> {
	return fetch(baseUrl + path, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
}

/** The session cookie ("name=value") a response sets, if any. */
export function sessionCookieOf(res: Response): string | null {
	return res.headers.getSetCookie().find((c) => c.startsWith('kuvend_session='))?.split(';')[0] ?? null;
}

/** A socket.io-client connected (or refused) the way a browser tab would connect. */
export function connectSocket(baseUrl: string, headers: Record<string, string>): Socket {
	return io(baseUrl, { path: '/socket.io/', transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: headers });
}

/** Resolves with 'connected' or the connect_error message. */
export function connection(socket: Socket): Promise<string> {
	return new Promise((resolve) => {
		socket.once('connect', () => resolve('connected'));
		socket.once('connect_error', (e) => resolve(e.message));
	});
}

let fresh: boolean | undefined;
/**
 * Whether build/ holds the compiled server of the sources as they are (npm test builds it first): a process started
 * from it takes about 2 s of CPU less than one compiling the sources with tsx, and the integration files start
 * hundreds. Asked once per process; a build made stale since would show in a test of what changed.
 */
export function compiledIsFresh(): boolean {
	return (fresh ??= serverBuildIsFresh());
}

/**
 * Runs the real entry point in its own process, as `npm start` runs it after its build step (build/server.js, see
 * server/cli/build-server.ts) when that build is of the sources as they are, else from source with tsx. `compiled`:
 * the build only (the caller makes sure it is built).
 */
export function spawnServer(env: Record<string, string>, { compiled = compiledIsFresh() }: { compiled?: boolean } = {}): { child: ChildProcess; output: () => string; url: Promise<string>; exit: Promise<number | null> } {
	const child = spawn(process.execPath, compiled ? ['build/server.js'] : ['--import', 'tsx', 'server/index.ts'], {
		env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'error', ...(env.DATA_DIR ? { ...databaseEnv(env.DATA_DIR), ...redisEnv(env.DATA_DIR) } : {}), ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const url = new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', () => {
			const match = /Listening on (http:\/\/\S+)/.exec(out);
			if (match) resolve(match[1]);
		});
		child.once('exit', () => reject(new Error(`server exited early:\n${out}`)));
	});
	const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { child, output: () => out, url, exit };
}
