import fs from 'node:fs';
import path from 'node:path';
import { BUILD_DIR, ROOT } from '../paths.js';

/** The compiled server: what `npm start` runs (node build/server.js), written beside the web app's build. */
export const SERVER_BUNDLE = path.join(BUILD_DIR, 'server.js');
/** How the server's chunks are named in build/ (their own prefix, so a new build can remove the old ones). */
const CHUNK_PREFIX = 'server-chunk-';

/**
 * Compiles the server (server/index.ts and what it imports, TypeScript and src/lib alike), its export worker and
 * the migrations into plain JavaScript under build/, with esbuild (Vite's own compiler, already installed).
 *
 * Why: run from source, every start compiled ~400 modules with tsx (most of a 2.6 s restart), and tsx's loader
 * hooks stayed on every later import() — SvelteKit imports its route matchers on each request, so each page paid
 * a round trip to the hooks' thread. Packages stay external (node_modules is loaded as it is); one file per entry,
 * so paths.ts still finds the project root one folder up and export-pool.ts its worker beside it.
 *
 * What is imported with import() stays apart (code splitting, chunks beside the entries, in build/ too): the
 * PostgreSQL dialect (pg, and the undici pg loads, ~15 % of a start's CPU) is loaded only when DATABASE_URL is set.
 */
export async function buildServer(): Promise<void> {
	const { build } = await import('esbuild');
	const migrations = fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
	// The chunks of an earlier build (their names carry a hash of their content).
	if (fs.existsSync(BUILD_DIR)) for (const f of fs.readdirSync(BUILD_DIR)) if (f.startsWith(CHUNK_PREFIX)) fs.rmSync(path.join(BUILD_DIR, f));
	await build({
		absWorkingDir: ROOT,
		entryPoints: {
			server: 'server/index.ts',
			'export.worker': 'server/render/export.worker.ts',
			// The operator's command line and the migrations alone, as `node build/kuvend.js …` (no tsx in production).
			kuvend: 'server/cli/kuvend.ts',
			migrate: 'server/cli/migrate.ts',
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
		splitting: true,
		chunkNames: `${CHUNK_PREFIX}[hash]`,
		minify: false,
		logLevel: 'warning'
	});
}
