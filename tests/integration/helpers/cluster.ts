import { expect } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import type { Socket } from 'socket.io-client';
import { Redis } from 'ioredis';
import { connectSocket, connection, spawnServer, tempDir } from './app.js';
import { databaseEnv, dropTestDatabases, postgresAnswers } from './postgres.js';
import { TEST_BALLOT_KEY } from './redis.js';

// The cluster tests' nodes (issue #16): real Kuvend processes on one PostgreSQL database and one Redis, told apart
// only by their ports. Each run uses its own database and its own Redis key prefix, so it never touches the
// machine's other data; outage tests start a private redis-server.
export const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.KUVEND_TEST_REDIS || 'redis://127.0.0.1:6379';
export const PG = postgresAnswers(ADMIN_URL);
export const REDIS = redisAnswers(REDIS_URL);
export const REDIS_SERVER = commandExists('redis-server');
if (!PG) console.warn(`PostgreSQL does not answer at ${new URL(ADMIN_URL).host}: the cluster tests are skipped`);
if (!REDIS) console.warn(`Redis does not answer at ${new URL(REDIS_URL).host}: the cluster tests are skipped`);
if (!REDIS_SERVER) console.warn('redis-server is not installed: the Redis outage test is skipped');

export function redisAnswers(url: string): boolean {
	try {
		return execFileSync('redis-cli', ['-u', url, 'ping'], { timeout: 5000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
	} catch {
		return false;
	}
}

export function commandExists(name: string): boolean {
	try {
		execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

export interface KuvendNode {
	url: string;
	child: ChildProcess;
	output: () => string;
	exit: Promise<number | null>;
	dir: string;
}

export const dirs: string[] = [];
export const prefixes: [string, string][] = [];

/** One Kuvend process sharing `database` and Redis (under `prefix`) with the other nodes. */
export async function startNode(database: string, redisUrl: string, prefix: string, env: Record<string, string> = {}): Promise<KuvendNode> {
	const dir = tempDir('kuvend-node-');
	dirs.push(dir);
	const server = spawnServer({
		NODE_ENV: 'test',
		PORT: '0',
		DATA_DIR: dir,
		DATABASE_URL: database,
		REDIS_URL: redisUrl,
		REDIS_PREFIX: prefix,
		BALLOT_KEY: TEST_BALLOT_KEY,
		// The lease's hand-over is logged at info.
		LOG_LEVEL: 'info',
		RATE_LIMITS: 'standard',
		...env
	});
	return { ...server, url: await server.url, dir };
}

export async function stopNode(node: KuvendNode): Promise<void> {
	if (node.child.exitCode !== null || node.child.signalCode !== null) return;
	node.child.kill('SIGTERM');
	await node.exit;
}

/** A fresh database for a set of nodes (the first node to start migrates and seeds it). */
export function freshDatabase(): string {
	const dir = tempDir('kuvend-cluster-db-');
	dirs.push(dir);
	return databaseEnv(dir, ADMIN_URL).DATABASE_URL;
}

export const emitAck = <T>(s: Socket, event: string, payload: unknown) => new Promise<T>((resolve) => s.emit(event, payload, resolve));

export async function memberSocket(url: string, cookie: string): Promise<Socket> {
	const socket = connectSocket(url, { cookie, origin: url });
	expect(await connection(socket)).toBe('connected');
	return socket;
}

/** Drops the test databases, data folders and this run's Redis keys (call from afterAll). */
export async function cleanUpCluster(): Promise<void> {
	dropTestDatabases();
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
	if (!REDIS) return;
	// Only this run's keys go; the machine's Redis keeps everything else.
	for (const [url, prefix] of prefixes) {
		const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
		redis.on('error', () => {});
		try {
			await redis.connect();
			const keys: string[] = [];
			for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
			if (keys.length) await redis.del(...keys);
		} catch {
			// A private Redis already stopped: nothing of it remains.
		} finally {
			redis.disconnect();
		}
	}
}

/** A port nothing listens on (for a moment). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** A private redis-server, nothing kept on disk; stop() ends it, start() brings it back on the same port. */
export async function privateRedis(args: string[] = []): Promise<{ url: string; start(): Promise<void>; stop(): Promise<void> }> {
	const port = await freePort();
	const dir = tempDir('kuvend-redis-');
	dirs.push(dir);
	let child: ChildProcess | null = null;
	const start = async () => {
		child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args], { stdio: 'ignore' });
		const password = args.includes('--requirepass') ? `default:${args[args.indexOf('--requirepass') + 1]}@` : '';
		try {
			// Polled by hand: this also runs in beforeAll, where expect.poll may not.
			for (let waited = 0; !redisAnswers(`redis://${password}127.0.0.1:${port}`); waited += 100) {
				if (waited > 10_000) throw new Error(`redis-server did not answer on port ${port}`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		} catch (error) {
			// Never left running behind a failed test.
			child.kill('SIGKILL');
			throw error;
		}
	};
	const stop = async () => {
		const running = child;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGTERM');
		await exited;
	};
	await start();
	return { url: `redis://127.0.0.1:${port}`, start, stop };
}

