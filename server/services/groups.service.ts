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
	removeGroupMember,
	setGroupRole
} from '../db/repositories/group.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { findUserById } from '../db/repositories/user.repository.js';
import type { GroupRow } from '../db/database.js';
import { isActiveMember, type GroupRole } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { localized, parseLocalized } from '../../src/lib/shared/localized.js';
import type { GroupKind, Locale } from '../../src/lib/shared/types.js';
import type { Abilities } from './abilities.service.js';
import type { Authenticated } from './auth.service.js';

/** The group with this slug; one that does not exist is not_found. */
export async function existingGroup(db: Db, slug: string): Promise<GroupRow> {
	const group = await findGroupBySlug(db, slug);
	if (!group) throw new DomainError('not_found');
	return group;
}

export interface GroupPage {
	slug: string;
	name: string;
	kind: GroupKind;
	/** In the reader's language, else the network's primary one. */
	description: string;
	city: string | null;
	joinPolicy: 'open' | 'request';
	/** Archived: not joinable; its page and space stay readable. */
	archived: boolean;
	memberCount: number;
	/** Only members of the network see who is in a group. */
	members: { id: number; name: string; city: string | null; facilitator: boolean }[] | null;
	/** The viewer's own relation to the group. */
	me: 'visitor' | 'outsider' | 'requested' | 'member' | 'facilitator';
	/** Pending requests, for facilitators and coordinators. */
	requests: { id: number; name: string; city: string | null; requestedAt: number }[] | null;
	canManage: boolean;
}

/**
 * Groups: open to join, or by request that a facilitator (or a coordinator) approves; facilitators (and coordinators)
 * take members out and name facilitators. Every change of who is in a group, or of their place in it, is an
 * `access.changed` of that person: their open pages and documents follow at once.
 */
export class GroupsService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly abilities: Abilities,
		/** The network's primary language: a description not written in the reader's language is shown in it. */
		private readonly primaryLocale: () => Locale,
		private readonly clock: () => number = Date.now
	) {}

	async page(auth: Authenticated | null, slug: string, locale: Locale): Promise<GroupPage> {
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
			description: localized(parseLocalized(group.description), locale, this.primaryLocale()),
			city: group.city,
			joinPolicy: group.join_policy,
			archived: group.archived_at !== null,
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
		const done = await this.db.transaction().execute(async (trx) => {
			if (group.archived_at !== null) throw new DomainError('conflict', 'the group is archived');
			if (await membershipOf(trx, group.id, me.id)) throw new DomainError('conflict', 'already a member');
			if (group.join_policy === 'open') {
				await addGroupMember(trx, group.id, me.id, now);
				return 'joined' as const;
			}
			await insertGroupRequest(trx, group.id, me.id, now);
			return 'requested' as const;
		});
		if (done === 'joined') this.#changed(me.id);
		return done;
	}

	async leave(auth: Authenticated | null, slug: string): Promise<void> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		const left = await this.db.transaction().execute(async (trx) => {
			await deleteGroupRequest(trx, group.id, me.id);
			return removeGroupMember(trx, group.id, me.id);
		});
		if (left) this.#changed(me.id);
	}

	async decide(auth: Authenticated | null, slug: string, userId: number, approve: boolean): Promise<void> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		const now = this.clock();
		const added = await this.db.transaction().execute(async (trx) => {
			if (!(await this.abilities.mayCall(auth, group.id, trx))) throw new DomainError('forbidden');
			if (!(await deleteGroupRequest(trx, group.id, userId))) throw new DomainError('not_found', 'no such request');
			const user = await findUserById(trx, userId);
			const add = approve && user?.status === 'active';
			if (add) await addGroupMember(trx, group.id, userId, now);
			await this.#audit(trx, me.id, approve ? 'group.request_approved' : 'group.request_declined', group.slug, { userId });
			return add;
		});
		if (added) this.#changed(userId);
	}

	/** A facilitator (or a coordinator) takes a member out of the group. */
	async remove(auth: Authenticated | null, slug: string, userId: number): Promise<void> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		await this.db.transaction().execute(async (trx) => {
			if (!(await this.abilities.mayCall(auth, group.id, trx))) throw new DomainError('forbidden');
			if (!(await removeGroupMember(trx, group.id, userId))) throw new DomainError('not_found', 'not a member');
			await this.#audit(trx, me.id, 'group.member_removed', group.slug, { userId });
		});
		this.#changed(userId);
	}

	/** A facilitator (or a coordinator) names a member facilitator, or makes a facilitator a member again. */
	async setRole(auth: Authenticated | null, slug: string, userId: number, role: string): Promise<void> {
		const me = this.#member(auth);
		const group = await this.#group(slug);
		const changed = await this.db.transaction().execute(async (trx) => {
			if (!(await this.abilities.mayCall(auth, group.id, trx))) throw new DomainError('forbidden');
			if (role !== 'member' && role !== 'facilitator') throw new DomainError('invalid_input', 'no such role', { role: 'required' });
			if (!(await membershipOf(trx, group.id, userId))) throw new DomainError('not_found', 'not a member');
			if (!(await setGroupRole(trx, group.id, userId, role as GroupRole))) return false;
			await this.#audit(trx, me.id, 'group.role_changed', group.slug, { userId, role });
			return true;
		});
		if (changed) this.#changed(userId);
	}

	#audit(trx: Parameters<typeof insertAudit>[0], actorId: number, action: string, slug: string, data: Record<string, unknown>) {
		return insertAudit(trx, { actor_id: actorId, action, subject_type: 'group', subject_id: slug, data, created_at: this.clock() });
	}

	/** Someone's place in a group changed: what they may read and change follows on every open connection. */
	#changed(userId: number): void {
		this.bus.emit('access.changed', { userIds: [userId] });
	}

	#group(slug: string): Promise<GroupRow> {
		return existingGroup(this.db, slug);
	}

	#member(auth: Authenticated | null) {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		return auth.actor;
	}
}
