import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * True in the compiled server (build/server.js, see server/cli/build-server.ts), false run from source with tsx.
 * Either way this file sits one folder below the project root.
 */
export const COMPILED = !import.meta.url.endsWith('.ts');

/** The project root and the SvelteKit build folder, wherever the process was started from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = path.join(ROOT, 'build');
/** The migrations: their TypeScript from source, compiled beside the server in the build. */
export const MIGRATIONS_DIR = COMPILED ? path.join(BUILD_DIR, 'migrations') : path.join(ROOT, 'migrations');
