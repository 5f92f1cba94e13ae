import { describe, expect, it } from 'vitest';
import { hasRole, isActiveMember, maySignIn } from '../../server/domain/permissions.js';

describe('permissions', () => {
	it('only active accounts are members', () => {
		expect(isActiveMember(null)).toBe(false);
		expect(isActiveMember({ id: 1, role: 'member', status: 'active' })).toBe(true);
		expect(isActiveMember({ id: 1, role: 'coordinator', status: 'suspended' })).toBe(false);
		expect(isActiveMember({ id: 1, role: 'member', status: 'applicant' })).toBe(false);
	});

	it('ranks roles member < moderator < coordinator', () => {
		const mod = { id: 1, role: 'moderator', status: 'active' } as const;
		expect(hasRole(mod, 'member')).toBe(true);
		expect(hasRole(mod, 'moderator')).toBe(true);
		expect(hasRole(mod, 'coordinator')).toBe(false);
		expect(hasRole({ ...mod, status: 'suspended' }, 'member')).toBe(false);
	});

	it('suspended and deleted accounts cannot sign in; applicants can (to follow their request)', () => {
		expect(maySignIn('active')).toBe(true);
		expect(maySignIn('applicant')).toBe(true);
		expect(maySignIn('suspended')).toBe(false);
		expect(maySignIn('deleted')).toBe(false);
	});
});
