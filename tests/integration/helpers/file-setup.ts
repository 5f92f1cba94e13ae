import { afterAll, vi } from 'vitest';
import { destroyProvidersLeft } from './yjs.js';

// After every integration file (vitest.config.ts runs the files of a worker in one process): what the file left
// connected goes with it, and so does every spy it set on a shared prototype or object.
afterAll(() => {
	destroyProvidersLeft();
	vi.restoreAllMocks();
});
