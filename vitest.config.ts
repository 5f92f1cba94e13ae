import path from 'node:path';
import { defineConfig } from 'vitest/config';

const resolve = { alias: { $lib: path.resolve('src/lib') } };

export default defineConfig({
	test: {
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
