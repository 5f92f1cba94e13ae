import type { Config } from './config.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

export interface Logger {
	debug(msg: string, data?: Record<string, unknown>): void;
	info(msg: string, data?: Record<string, unknown>): void;
	warn(msg: string, data?: Record<string, unknown>): void;
	error(msg: string, data?: Record<string, unknown>): void;
}

/** One JSON line per entry on stderr (stdout stays for the start-up banner). */
export function createLogger(level: Config['logLevel']): Logger {
	const min = LEVELS[level];
	const write = (lvl: Level) => (msg: string, data?: Record<string, unknown>) => {
		if (LEVELS[lvl] < min) return;
		const extra = data
			? Object.fromEntries(
					Object.entries(data).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v])
				)
			: {};
		process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...extra }) + '\n');
	};
	return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
