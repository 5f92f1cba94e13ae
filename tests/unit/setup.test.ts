import { describe, expect, it } from 'vitest';
import { setupSteps } from '../../server/domain/setup.js';
import { SETUP_STEPS, inSetup, isInSetup, keepSetup } from '../../src/lib/shared/setup.js';

describe('the day-one steps', () => {
	it('are done as far as the data tells, in the wizard order', () => {
		const empty = setupSteps({ profile: false, fields: 0, groups: 0, approvedApplications: 0 }, { mailConfigured: false });
		expect(empty.map((s) => [s.key, s.state])).toEqual([
			['network', 'todo'],
			['fields', 'todo'],
			['groups', 'todo'],
			['mail', 'todo'],
			['members', 'todo']
		]);
		const filled = setupSteps({ profile: true, fields: 3, groups: 1, approvedApplications: 1 }, { mailConfigured: true });
		expect(filled.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
		expect(filled.map((s) => s.href)).toEqual(SETUP_STEPS.map((s) => s.href));
	});

	it('are opened from the wizard with ?setup=1, which a page recognises', () => {
		expect(inSetup('/coordination/fields')).toBe('/coordination/fields?setup=1');
		expect(inSetup('/coordination/groups?tab=archived')).toBe('/coordination/groups?tab=archived&setup=1');
		expect(isInSetup(new URL('http://x/coordination/network?setup=1'))).toBe(true);
		expect(isInSetup(new URL('http://x/coordination/network'))).toBe(false);
		// Forms and links on a step's page keep the wizard open; elsewhere they are left as they are.
		expect(keepSetup(new URL('http://x/coordination/fields?setup=1'), '?/rename')).toBe('?/rename&setup=1');
		expect(keepSetup(new URL('http://x/coordination/fields'), '?/rename')).toBe('?/rename');
	});
});
