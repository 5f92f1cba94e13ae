import { ConfigError, loadConfig } from './config.js';
import { startApp } from './app.js';
import { DEMO_PASSWORD } from './db/seed/demo.js';

/** Entry point: config -> context -> http server -> realtime -> SvelteKit -> listen; stops gracefully on signals. */
async function main(): Promise<void> {
	let config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`${error.message}\nSee README.md, "Configuration".\n`);
			process.exit(1);
		}
		throw error;
	}
	const app = await startApp(config);
	const publicUrl = config.origin ?? app.url;
	process.stdout.write(`\nKuvend is running at ${publicUrl}\n`);
	process.stdout.write(`Listening on ${app.url}\n`);
	if (config.seed === 'demo') {
		process.stdout.write(`Demo sign-in: coordinator@demo.test / ${DEMO_PASSWORD} (see README.md for all demo accounts)\n`);
	}

	const shutdown = (signal: string) => {
		app.ctx.logger.info('shutting down', { signal });
		app
			.stop()
			.then(() => process.exit(0))
			.catch((error) => {
				app.ctx.logger.error('shutdown failed', { error });
				process.exit(1);
			});
	};
	process.once('SIGTERM', () => shutdown('SIGTERM'));
	process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
	process.stderr.write(`Kuvend could not start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
