import type { Role, UserStatus } from '../../src/lib/shared/types.js';

/** The acting person as the rules see them; `null` is a visitor. */
export interface Actor {
	id: number;
	role: Role;
	status: UserStatus;
}

const RANK: Record<Role, number> = { member: 1, moderator: 2, coordinator: 3 };

/** An active member: signed in, approved and not suspended. */
export function isActiveMember(actor: Actor | null): boolean {
	return actor !== null && actor.status === 'active';
}

/** Active and holding at least `role`. */
export function hasRole(actor: Actor | null, role: Role): boolean {
	return actor !== null && isActiveMember(actor) && RANK[actor.role] >= RANK[role];
}

/** Everything an account may do at all: suspended and deleted accounts may not even hold a session. */
export function maySignIn(status: UserStatus): boolean {
	return status === 'active' || status === 'applicant';
}

/** A member's place in a group. */
export type GroupRole = 'member' | 'facilitator';

/** Facilitates a group: active, and its facilitator. */
export function facilitates(actor: Actor | null, role: GroupRole | null): boolean {
	return isActiveMember(actor) && role === 'facilitator';
}

/**
 * Runs the business of a scope — calls and manages its votes and meetings, decides its join requests: coordinators
 * anywhere, a group's facilitators in their own group. `groupId` null is the whole network.
 */
export function runsBusinessOf(actor: Actor | null, groupId: number | null, role: GroupRole | null): boolean {
	return hasRole(actor, 'coordinator') || (groupId !== null && facilitates(actor, role));
}
