import { spawn } from 'node:child_process';
import path from 'node:path';
import { compiledIsFresh } from './app.js';
import { databaseEnv } from './postgres.js';

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

type Script = 'server/cli/kuvend.ts' | 'server/cli/migrate.ts';

/**
 * Node's arguments for a command-line script: compiled (build/kuvend.js, build/migrate.js) when the build is of the
 * sources as they are, else the source with tsx.
 */
export const cliEntry = (script: Script): string[] => (compiledIsFresh() ? [path.join('build', `${path.basename(script, '.ts')}.js`)] : ['--import', 'tsx', script]);

/** Runs `npm run kuvend -- <args>` (or server/cli/migrate.ts) as its own process, as an operator would. */
export function runKuvend(args: string[], env: Record<string, string>, script: Script = 'server/cli/kuvend.ts'): Promise<CliRun> {
	const child = spawn(process.execPath, [...cliEntry(script), ...args], {
		env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...(env.DATA_DIR ? databaseEnv(env.DATA_DIR) : {}), ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
