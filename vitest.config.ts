import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const resolve = { alias: { $lib: path.resolve('src/lib') } };

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
					environment: 'node',
					pool: 'forks',
					// `npm run test:pg`: the same tests on PostgreSQL, a database per data folder (tests/integration/helpers/postgres.ts).
					setupFiles: process.env.KUVEND_TEST_POSTGRES ? ['tests/integration/helpers/postgres-setup.ts'] : [],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
