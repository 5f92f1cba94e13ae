import { spawn } from 'node:child_process';
import { databaseEnv } from './postgres.js';

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs `npm run kuvend -- <args>` (or another script under server/cli) as its own process, as an operator would. */
export function runKuvend(args: string[], env: Record<string, string>, script = 'server/cli/kuvend.ts'): Promise<CliRun> {
	const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
		env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...(env.DATA_DIR ? databaseEnv(env.DATA_DIR) : {}), ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
