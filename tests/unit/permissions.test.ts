import { describe, expect, it } from 'vitest';
import { facilitates, hasRole, isActiveMember, maySignIn, runsBusinessOf } from '../../server/domain/permissions.js';

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

	it("lets coordinators run any vote or meeting and facilitators their group's", () => {
		const member = { id: 1, role: 'member' as const, status: 'active' as const };
		const coordinator = { id: 2, role: 'coordinator' as const, status: 'active' as const };
		const applicant = { id: 3, role: 'member' as const, status: 'applicant' as const };
		expect(runsBusinessOf(coordinator, null, null)).toBe(true);
		expect(runsBusinessOf(coordinator, 7, null)).toBe(true);
		expect(runsBusinessOf(member, null, null)).toBe(false);
		expect(runsBusinessOf(member, 7, 'member')).toBe(false);
		expect(runsBusinessOf(member, 7, 'facilitator')).toBe(true);
		expect(runsBusinessOf(applicant, 7, 'facilitator')).toBe(false);
		// A facilitator's role counts only in their group, never for the network.
		expect(runsBusinessOf(member, null, 'facilitator')).toBe(false);
	});

	it('facilitates a group only as an active facilitator of it', () => {
		const member = { id: 1, role: 'member' as const, status: 'active' as const };
		expect(facilitates(member, 'facilitator')).toBe(true);
		expect(facilitates(member, 'member')).toBe(false);
		expect(facilitates(member, null)).toBe(false);
		expect(facilitates({ ...member, status: 'suspended' }, 'facilitator')).toBe(false);
		expect(facilitates(null, 'facilitator')).toBe(false);
	});
});
