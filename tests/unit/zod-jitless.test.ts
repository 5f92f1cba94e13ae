import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../../src/hooks.js';

// Without the import in src/hooks.ts, jitless stayed false: zod probed `new Function` in the browser, and the CSP
// reported it on every page that parsed a form.
describe('zod in the app', () => {
	it('runs without generating code, from the universal hooks that the browser and the server both load first', () => {
		expect(z.config().jitless).toBe(true);
		expect(z.object({ title: z.string() }).parse({ title: 'Buxheti' })).toEqual({ title: 'Buxheti' });
	});
});
