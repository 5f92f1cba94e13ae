import { ConfigError, loadConfig } from './config.js';
import { startApp, type RunningApp } from './app.js';
import { DEMO_PASSWORD } from './db/seed/demo.js';
import { stopOnSignal } from './lifecycle.js';
import { setupLinkLines } from './services/setup.service.js';

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

	// Signals are taken from the first moment: one that arrives while starting stops the server once it is up.
	let starting: Promise<RunningApp> | undefined;
	const shutdown = (signal: string) => {
		if (!starting) process.exit(0);
		void starting.then(
			(app) => stopOnSignal(app.stop, app.ctx.logger, signal),
			() => process.exit(1)
		);
	};
	process.once('SIGTERM', () => shutdown('SIGTERM'));
	process.once('SIGINT', () => shutdown('SIGINT'));

	starting = startApp(config);
	const app = await starting;
	const origin = config.origin ?? app.url;
	// While the network has no coordinator, each start prints a new one-time link to make the first one.
	const setup = await app.ctx.services.setup.linkAtStart(origin);
	// One write, "Listening on" last: whoever waits for that line (tests, scripts) has all the others too.
	const lines = ['', `Kuvend is running at ${origin}`];
	if (config.seed === 'demo') lines.push(`Demo sign-in: coordinator@demo.test / ${DEMO_PASSWORD} (see README.md for all demo accounts)`);
	if (config.seed === 'inclust') lines.push(`InClust sign-in: coordinator@inclust.test / ${DEMO_PASSWORD}`);
	if (setup) lines.push(...setupLinkLines(setup));
	lines.push(`Listening on ${app.url}`, '');
	process.stdout.write(lines.join('\n'));
}

main().catch((error) => {
	process.stderr.write(`Kuvend could not start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
