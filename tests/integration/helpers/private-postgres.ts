import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL server of a test's own (initdb in a temporary folder, on a free loopback port, password
 * authentication), which the test may stop and start again while Kuvend runs: the machine's own PostgreSQL is never
 * touched. PostgreSQL refuses to run as root, so as root (these machines) its processes run as the `postgres` user;
 * as any other user they run as that user. null where no PostgreSQL binaries are installed (the test says so).
 */
export interface PrivatePostgres {
	/** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
	url(database?: string, password?: string): string;
	start(): Promise<void>;
	/** An immediate stop (SIGQUIT), as a crash: committed work must come back from the write-ahead log. */
	stop(): Promise<void>;
	remove(): Promise<void>;
}

export function postgresBinaries(): string | null {
	for (const dir of ['/usr/lib/postgresql']) {
		if (!fs.existsSync(dir)) continue;
		const versions = fs.readdirSync(dir).sort((a, b) => Number(b) - Number(a));
		for (const v of versions) if (fs.existsSync(path.join(dir, v, 'bin', 'initdb'))) return path.join(dir, v, 'bin');
	}
	try {
		return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim() || null;
	} catch {
		return null;
	}
}

/** A TCP port free on loopback now (for a server a test starts). */
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

/** Who runs PostgreSQL: this user, or `postgres` when this is root. */
function runAs(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

const answers = (port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});

export async function privatePostgres(password: string): Promise<PrivatePostgres> {
	const bin = postgresBinaries();
	if (!bin) throw new Error('no PostgreSQL binaries');
	const user = runAs();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuvend-pg-'));
	if (user) fs.chownSync(dir, user.uid, user.gid);
	const data = path.join(dir, 'data');
	const pwfile = path.join(dir, 'pw');
	fs.writeFileSync(pwfile, `${password}\n`);
	if (user) fs.chownSync(pwfile, user.uid, user.gid);
	execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync'], { stdio: 'ignore', ...user });
	const port = await freePort();
	let child: ChildProcess | null = null;
	const start = async () => {
		child = spawn(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { stdio: 'ignore', ...user });
		for (let i = 0; i < 200 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
		// Listening is not yet accepting connections: ask it.
		for (let i = 0; i < 100; i++) {
			try {
				execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
				return;
			} catch {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		throw new Error('the private PostgreSQL did not start');
	};
	const stop = async () => {
		const running = child as ChildProcess | null;
		if (!running || running.exitCode !== null || running.signalCode !== null) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGQUIT');
		await exited;
	};
	await start();
	return {
		url: (database = 'postgres', pass = password) => `postgres://postgres:${encodeURIComponent(pass)}@127.0.0.1:${port}/${database}`,
		start,
		stop,
		async remove() {
			await stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
