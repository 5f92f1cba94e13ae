import type { Config } from './config.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

export interface Logger {
	debug(msg: string, data?: Record<string, unknown>): void;
	info(msg: string, data?: Record<string, unknown>): void;
	warn(msg: string, data?: Record<string, unknown>): void;
	error(msg: string, data?: Record<string, unknown>): void;
}

/** Causes worth naming in words beside the driver's code (SQLite says "database or disk is full"). */
const CAUSES: Record<string, string> = { SQLITE_FULL: 'disk full', ENOSPC: 'disk full' };

function describeError(error: Error): Record<string, unknown> {
	const code = (error as { code?: unknown }).code;
	if (typeof code !== 'string') return { message: error.message, stack: error.stack };
	return { message: error.message, code, ...(CAUSES[code] ? { cause: CAUSES[code] } : {}), stack: error.stack };
}

/**
 * Secrets that must never reach a log, wherever they sit in an entry (a message, an error's text or stack, a header
 * copied into data): personal API tokens by their prefix, and any bearer credential.
 */
const SECRETS = /\bkuvend_[A-Za-z0-9_-]{40,}|(\bBearer\s+)[^\s"\\]+/gi;
export const redactSecrets = (line: string) => line.replace(SECRETS, (_all, bearer: string | undefined) => (bearer ? `${bearer}[redacted]` : 'kuvend_[redacted]'));

/** One JSON line per entry on stderr (stdout stays for the start-up banner). */
export function createLogger(level: Config['logLevel']): Logger {
	const min = LEVELS[level];
	const write = (lvl: Level) => (msg: string, data?: Record<string, unknown>) => {
		if (LEVELS[lvl] < min) return;
		const extra = data
			? Object.fromEntries(
					Object.entries(data).map(([k, v]) => [k, v instanceof Error ? describeError(v) : v])
				)
			: {};
		process.stderr.write(redactSecrets(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...extra })) + '\n');
	};
	return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
