import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { SMTP_PORT } from './tests/e2e/mail-server.js';

// E2E_PORT lets two checkouts run their browser tests side by side (SMTP listens on the next port).
const PORT = Number(process.env.E2E_PORT ?? 4173);
const ORIGIN = `http://localhost:${PORT}`;
// CI's run beside the type checks on two cores (tests/e2e/helpers.ts TIME_SCALE): the default times scaled as each test's are.
const SCALE = Number(process.env.E2E_TIME_SCALE) || 1;
// A fresh database for every run, seeded with the demo network.
const DATA_DIR = path.join(os.tmpdir(), `kuvend-e2e-${process.pid}-${Date.now()}`);

const chromium = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-dev-shm-usage',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run'
	]
};

export default defineConfig({
	testDir: 'tests/e2e',
	// CI runs two shards side by side, each with its own server, database and results (E2E_PORT, E2E_OUTPUT_DIR).
	outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
	globalSetup: './tests/e2e/global-setup.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 30_000 * SCALE,
	expect: { timeout: 5_000 * SCALE },
	reporter: [['list']],
	use: {
		baseURL: ORIGIN,
		launchOptions: chromium,
		trace: 'retain-on-failure',
		// Endless animations (a live meeting's pulsing badge) kept each open page compositing frames in software all
		// test long; the app honours reduced motion (app.css: no transitions, an animation plays once, a spinner turns
		// slowly), and nothing a test checks moves. tests/e2e/helpers.ts does the same for a test's own contexts.
		reducedMotion: 'reduce',
		// A page that never finishes loading fails its step, named, instead of the whole test's time running out
		// (CI once spent a dark-mode test's 180 s on one navigation and said only that the time was up).
		navigationTimeout: 45_000
	},
	// An Albanian-speaking visitor in Albania by default; tests that need another language or zone say so.
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], locale: 'sq-AL', timezoneId: 'Europe/Tirane', launchOptions: chromium } }],
	webServer: {
		command: 'node --import tsx server/index.ts',
		url: `${ORIGIN}/healthz`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: { PORT: String(PORT), ORIGIN, DATA_DIR, LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMITS: 'relaxed', WEBHOOKS_ALLOW_PRIVATE: '1', SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}` }
	}
});
