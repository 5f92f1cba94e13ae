import { afterAll } from 'vitest';
import { dropTestDatabases } from './postgres.js';

// Only with `npm run test:pg` (vitest.config.ts): the databases a test file made are dropped after it.
afterAll(() => dropTestDatabases());
