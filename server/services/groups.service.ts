import type { Db } from '../db/client.js';
import {
	addGroupMember,
	deleteGroupRequest,
	findGroupBySlug,
	groupMembers,
	groupRequests,
	hasPendingRequest,
	insertGroupRequest,
	membershipOf,
	removeGroupMember
} from '../db/repositories/group.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { findUserById } from '../db/repositories/user.repository.js';
import type { GroupRow } from '../db/database.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { GroupKind } from '../../src/lib/shared/types.js';
import type { Abilities } from './abilities.service.js';
import type { Authenticated } from './auth.service.js';

export interface GroupPage {
	slug: string;
	name: string;
	kind: GroupKind;
	description: string;
	city: string | null;
	joinPolicy: 'open' | 'request';
	memberCount: number;
	/** Only members of the network see who is in a group. */
	members: { id: number; name: string; city: string | null; facilitator: boolean }[] | null;
	/** The viewer's own relation to the group. */
	me: 'visitor' | 'outsider' | 'requested' | 'member' | 'facilitator';
	/** Pending requests, for facilitators and coordinators. */
	requests: { id: number; name: string; city: string | null; requestedAt: number }[] | null;
	canManage: boolean;
}

/** Groups: open to join, or by request that a facilitator (or a coordinator) approves. */
export class GroupsService {
	constructor(
		private readonly db: Db,
		private readonly abilities: Abilities,
		private readonly clock: () => number = Date.now
	) {}

	async page(auth: Authenticated | null, slug: string): Promise<GroupPage> {
		const group = await this.#group(slug);
		const members = await groupMembers(this.db, group.id);
		const member = isActiveMember(auth?.actor ?? null);
		const [role, canManage] = await Promise.all([this.abilities.roleIn(auth, group.id), this.abilities.mayCall(auth, group.id)]);
		const me: GroupPage['me'] = !auth || !member
			? 'visitor'
			: role ?? ((await hasPendingRequest(this.db, group.id, auth.actor.id)) ? 'requested' : 'outsider');
		return {
			slug: group.slug,
			name: group.name,
			kind: group.kind,
			description: group.description,
			city: group.city,
			joinPolicy: group.join_policy,
			memberCount: members.length,
			members: member ? members.map((m) => ({ id: m.id, name: m.display_name, city: m.city, facilitator: m.role === 'facilitator' })) : null,
			me,
			requests: canManage
				? (await groupRequests(this.db, group.id)).map((r) => ({ id: r.id, name: r.display_name, city: r.city, requestedAt: r.created_at }))
				: null,
			canManage
		};
	}

	/** Joins an open group at once, or asks to join one that takes requests. Returns what happened. */
	async join(auth: Authenticated | null, slug: string): Promise<'joined' | 'requested'> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		const now = this.clock();
		return this.db.transaction().execute(async (trx) => {
			if (await membershipOf(trx, group.id, me.id)) throw new DomainError('conflict', 'already a member');
			if (group.join_policy === 'open') {
				await addGroupMember(trx, group.id, me.id, now);
				return 'joined' as const;
			}
			await insertGroupRequest(trx, group.id, me.id, now);
			return 'requested' as const;
		});
	}

	async leave(auth: Authenticated | null, slug: string): Promise<void> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		await this.db.transaction().execute(async (trx) => {
			await removeGroupMember(trx, group.id, me.id);
			await deleteGroupRequest(trx, group.id, me.id);
		});
	}

	async decide(auth: Authenticated | null, slug: string, userId: number, approve: boolean): Promise<void> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			if (!(await this.abilities.mayCall(auth, group.id, trx))) throw new DomainError('forbidden');
			if (!(await deleteGroupRequest(trx, group.id, userId))) throw new DomainError('not_found', 'no such request');
			const user = await findUserById(trx, userId);
			if (approve && user?.status === 'active') await addGroupMember(trx, group.id, userId, now);
			await insertAudit(trx, {
				actor_id: me.id,
				action: approve ? 'group.request_approved' : 'group.request_declined',
				subject_type: 'group',
				subject_id: group.slug,
				data: { userId },
				created_at: now
			});
		});
	}

	async #group(slug: string): Promise<GroupRow> {
		const group = await findGroupBySlug(this.db, slug);
		if (!group) throw new DomainError('not_found');
		return group;
	}

	#member(auth: Authenticated | null) {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		return auth.actor;
	}
}
