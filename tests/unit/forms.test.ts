import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from '../../src/lib/server/forms.js';

describe('safeRedirectTarget', () => {
	it('keeps same-site paths and refuses everything else', () => {
		expect(safeRedirectTarget('/forum?x=1')).toBe('/forum?x=1');
		for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '', null]) {
			expect(safeRedirectTarget(bad, '/home')).toBe('/home');
		}
	});
});
