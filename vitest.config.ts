import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const resolve = { alias: { $lib: path.resolve('src/lib') } };

/**
 * Integration files written for PostgreSQL (and Redis) themselves: they reach the machine's services whatever the
 * suite, so `npm test` already runs them wherever PostgreSQL answers (and skips them, saying why, where it does not).
 * The PostgreSQL run of the suite leaves them out rather than run them twice (about six minutes of CI's time).
 */
const WRITTEN_FOR_POSTGRES = ['tests/integration/*postgres*.test.ts', 'tests/integration/cluster*.test.ts', 'tests/integration/document-group-commit.test.ts'];
/**
 * Files about the process, its data folder and its HTTP answers, the same whichever database: run once, by `npm test`.
 * /forgot's timing is the account service's (the lookup and the mail after the answer), not the database's.
 */
const WHATEVER_THE_DATABASE = ['tests/integration/data-folder-lock.test.ts', 'tests/integration/forgot-timing.test.ts', 'tests/integration/trust-proxy.test.ts', 'tests/integration/headers.test.ts'];

export default defineConfig({
	test: {
		// Vitest's default is one worker fewer than the cores: one on these 2-core machines. The integration files wait
		// on sockets, timers and disks far more than they compute (a run used 75 % of one core), so two side by side
		// took the suite from 8.0 to 5.3 minutes here, all green, with another suite running beside it.
		// KUVEND_TEST_WORKERS: CI runs the PostgreSQL suite with one worker beside the browser tests.
		maxWorkers: Number(process.env.KUVEND_TEST_WORKERS) || Math.max(2, os.availableParallelism() - 1),
		projects: [
			{
				resolve,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				resolve,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					exclude: process.env.KUVEND_TEST_POSTGRES ? [...WRITTEN_FOR_POSTGRES, ...WHATEVER_THE_DATABASE] : [],
					environment: 'node',
					pool: 'forks',
					// The files share their worker's process, one after the other: each imported the whole server anew
					// (390 of a run's 566 s went to imports, 34 s without). Each file starts its own server and stops it;
					// what a file leaves connected is destroyed after it (helpers/file-setup.ts).
					isolate: false,
					// `npm run test:pg`: the same tests on PostgreSQL, a database per data folder (tests/integration/helpers/postgres.ts).
					setupFiles: ['tests/integration/helpers/file-setup.ts', ...(process.env.KUVEND_TEST_POSTGRES ? ['tests/integration/helpers/postgres-setup.ts'] : [])],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
