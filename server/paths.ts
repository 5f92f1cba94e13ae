import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root and the SvelteKit build folder, wherever the process was started from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = path.join(ROOT, 'build');
export const MIGRATIONS_DIR = path.join(ROOT, 'migrations');
