import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, ROOT } from '../paths.js';

/** The compiled server: what `npm start` runs (node build/server.js), written beside the web app's build. */
export const SERVER_BUNDLE = path.join(BUILD_DIR, 'server.js');

/**
 * Compiles the server (server/index.ts and what it imports, TypeScript and src/lib alike), its export worker and
 * the migrations into plain JavaScript under build/, with esbuild (Vite's own compiler, already installed).
 *
 * Why: run from source, every start compiled ~400 modules with tsx (most of a 2.6 s restart), and tsx's loader
 * hooks stayed on every later import() — SvelteKit imports its route matchers on each request, so each page paid
 * a round trip to the hooks' thread. Packages stay external (node_modules is loaded as it is); one file per entry,
 * so paths.ts still finds the project root one folder up and export-pool.ts its worker beside it.
 */
export async function buildServer(): Promise<void> {
	const { build } = await import('esbuild');
	const migrations = fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
	await build({
		absWorkingDir: ROOT,
		entryPoints: {
			server: 'server/index.ts',
			'export.worker': 'server/render/export.worker.ts',
			...Object.fromEntries(migrations.map((f) => [`migrations/${f.replace(/\.ts$/, '')}`, `migrations/${f}`]))
		},
		outdir: BUILD_DIR,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		tsconfig: 'tsconfig.server.json',
		sourcemap: 'linked',
		// Names stay readable in stack traces and CPU profiles; the file is read once per start, size hardly matters.
		minify: false,
		logLevel: 'warning'
	});
}
