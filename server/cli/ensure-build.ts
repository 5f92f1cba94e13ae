import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_DIR, ROOT } from '../paths.js';
import { buildServer, SERVER_BUNDLE } from './build-server.js';

/** What the web build is made from; a change to any of these makes the build stale. */
const INPUTS = ['src', 'static', 'project.inlang/settings.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];
const SKIP = new Set([path.join(ROOT, 'src/lib/paraglide')]);
const STAMP = path.join(BUILD_DIR, '.kuvend-build-hash');
/** What the compiled server is made from (src/lib: the server imports its shared code and messages). */
const SERVER_INPUTS = ['server', 'migrations', 'src/lib', 'project.inlang/settings.json', 'tsconfig.server.json', 'package-lock.json'];
const SERVER_STAMP = path.join(BUILD_DIR, '.kuvend-server-hash');

function* files(p: string): Generator<string> {
	if (SKIP.has(p) || !fs.existsSync(p)) return;
	const stat = fs.statSync(p);
	if (stat.isFile()) {
		yield p;
		return;
	}
	for (const entry of fs.readdirSync(p).sort()) yield* files(path.join(p, entry));
}

export function sourceHash(inputs = INPUTS): string {
	const h = createHash('sha256');
	for (const input of inputs) {
		for (const file of files(path.join(ROOT, input))) {
			h.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
		}
	}
	return h.digest('hex');
}

const stampOf = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '');

/** Whether build/ holds the compiled server (and its command line) of the sources as they are now. */
export function serverBuildIsFresh(): boolean {
	return fs.existsSync(SERVER_BUNDLE) && stampOf(SERVER_STAMP) === sourceHash(SERVER_INPUTS);
}

/**
 * Builds the SvelteKit app with Vite, then the compiled server (build-server.ts), each when missing or older than
 * its sources. The web build empties build/, so a new web build always means a new server build too.
 */
export async function ensureBuild(): Promise<void> {
	ensureWebBuild();
	const hash = sourceHash(SERVER_INPUTS);
	if (stampOf(SERVER_STAMP) === hash && fs.existsSync(SERVER_BUNDLE)) return;
	try {
		await buildServer();
	} catch (error) {
		process.stderr.write(`The server build failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	}
	fs.writeFileSync(SERVER_STAMP, hash);
}

/** Builds the SvelteKit app with Vite when the build is missing or older than its sources. */
export function ensureWebBuild(): void {
	const hash = sourceHash();
	const stamp = stampOf(STAMP);
	if (stamp === hash && fs.existsSync(path.join(BUILD_DIR, 'handler.js'))) return;
	process.stdout.write(stamp ? 'The web app changed: building it...\n' : 'Building the web app (first start)...\n');
	const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
	if (result.status !== 0) {
		process.stderr.write('The web app build failed; see the messages above.\n');
		process.exit(result.status ?? 1);
	}
	fs.writeFileSync(STAMP, hash);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await ensureBuild();
