import type { Db } from '../db/client.js';
import { ensureGroupCategories, findGroupCategory, setCategoryVisibility } from '../db/repositories/forum.repository.js';
import {
	activeAmong,
	addGroupMember,
	facilitatorCandidates,
	facilitatorsOf,
	groupNames,
	insertGroup,
	listGroupsForCoordination,
	membershipOf,
	setGroupArchived,
	setGroupRole,
	updateGroup
} from '../db/repositories/group.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import type { GroupRow } from '../db/database.js';
import { checkGroup, freeSlug, MAX_FACILITATOR_CHOICES, sameGroupName, type GroupInput, type GroupValues } from '../domain/groups.js';
import type { Visibility } from '../domain/forum.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { parseLocalized, type Localized } from '../../src/lib/shared/localized.js';
import type { GroupKind } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import { existingGroup } from './groups.service.js';

type Trx = Parameters<typeof insertAudit>[0];

export interface GroupListEntry {
	slug: string;
	name: string;
	kind: GroupKind;
	city: string | null;
	joinPolicy: 'open' | 'request';
	visibility: Visibility;
	memberCount: number;
	archived: boolean;
}

/** A group as its edit form shows it: every language of its description, as stored. */
export interface GroupForm {
	slug: string;
	name: string;
	kind: GroupKind;
	city: string;
	description: Localized;
	joinPolicy: 'open' | 'request';
	visibility: Visibility;
	facilitators: number[];
	archived: boolean;
}

export interface FacilitatorChoice {
	id: number;
	name: string;
	city: string | null;
}

/**
 * Groups as data: coordinators create, edit, archive and restore groups. Only coordinators: a group's kind, name and
 * who may read its space are the network's shape, and its facilitators already run its membership from the group's
 * page. A group is created with its forum space and its facilitators as members; every change is audited, and who
 * gains or loses a facilitator's rights, or the sight of a space, follows at once (`access.changed`).
 */
export class GroupAdminService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly clock: () => number = Date.now
	) {}

	async list(auth: Authenticated | null): Promise<GroupListEntry[]> {
		this.#coordinator(auth);
		return (await listGroupsForCoordination(this.db)).map((g) => ({
			slug: g.slug,
			name: g.name,
			kind: g.kind,
			city: g.city,
			joinPolicy: g.join_policy,
			visibility: g.visibility ?? 'group',
			memberCount: Number(g.member_count ?? 0),
			archived: g.archived_at !== null
		}));
	}

	/** Active members who can be named facilitators, by name. */
	async facilitatorChoices(auth: Authenticated | null): Promise<FacilitatorChoice[]> {
		this.#coordinator(auth);
		return (await facilitatorCandidates(this.db, MAX_FACILITATOR_CHOICES)).map((u) => ({ id: u.id, name: u.display_name, city: u.city }));
	}

	async form(auth: Authenticated | null, slug: string): Promise<GroupForm> {
		this.#coordinator(auth);
		const group = await this.#group(slug);
		const [space, facilitators] = await Promise.all([findGroupCategory(this.db, group.id), facilitatorsOf(this.db, group.id)]);
		return {
			slug: group.slug,
			name: group.name,
			kind: group.kind,
			city: group.city ?? '',
			description: parseLocalized(group.description),
			joinPolicy: group.join_policy,
			visibility: space?.visibility ?? 'group',
			facilitators,
			archived: group.archived_at !== null
		};
	}

	/** Creates a group with its forum space and facilitators; returns its slug. */
	async create(auth: Authenticated | null, input: GroupInput): Promise<string> {
		const me = this.#coordinator(auth);
		const now = this.clock();
		const { id, slug, spaceId, facilitators } = await this.db.transaction().execute(async (trx) => {
			const values = await this.#check(trx, input, null);
			const existing = await groupNames(trx);
			const slug = freeSlug(values.name, (s) => existing.some((g) => g.slug === s));
			const id = await insertGroup(trx, { slug, name: values.name, kind: values.kind, city: values.city, description: values.description, join_policy: values.joinPolicy, created_at: now });
			await ensureGroupCategories(trx);
			const space = await findGroupCategory(trx, id);
			if (!space) throw new Error(`group ${slug} has no space`);
			if (space.visibility !== values.visibility) await setCategoryVisibility(trx, space.id, values.visibility);
			for (const userId of values.facilitators) await addGroupMember(trx, id, userId, now, 'facilitator');
			await this.#audit(trx, me.id, 'group.created', slug, { name: values.name, kind: values.kind, visibility: values.visibility, facilitators: values.facilitators });
			return { id, slug, spaceId: space.id, facilitators: values.facilitators };
		});
		this.bus.emit('group.changed', { groupId: id });
		this.bus.emit('access.changed', { categoryId: spaceId });
		if (facilitators.length) this.bus.emit('access.changed', { userIds: facilitators });
		return slug;
	}

	/**
	 * Saves a group's form. The slug stays (links keep working after a rename). Members picked as facilitators join
	 * or are named facilitators; facilitators left out become members of the group again.
	 */
	async update(auth: Authenticated | null, slug: string, input: GroupInput): Promise<void> {
		const me = this.#coordinator(auth);
		const group = await this.#group(slug);
		const now = this.clock();
		const { changedPeople, spaceId, visibilityChanged } = await this.db.transaction().execute(async (trx) => {
			const values = await this.#check(trx, input, group.id);
			await updateGroup(trx, group.id, { name: values.name, kind: values.kind, city: values.city, description: values.description, join_policy: values.joinPolicy });
			const space = await findGroupCategory(trx, group.id);
			const visibilityChanged = !!space && (await setCategoryVisibility(trx, space.id, values.visibility));
			const before = new Set(await facilitatorsOf(trx, group.id));
			const changedPeople: number[] = [];
			for (const userId of values.facilitators) {
				if (before.has(userId)) continue;
				if (await membershipOf(trx, group.id, userId)) await setGroupRole(trx, group.id, userId, 'facilitator');
				else await addGroupMember(trx, group.id, userId, now, 'facilitator');
				changedPeople.push(userId);
			}
			for (const userId of before) {
				if (values.facilitators.includes(userId)) continue;
				await setGroupRole(trx, group.id, userId, 'member');
				changedPeople.push(userId);
			}
			await this.#audit(trx, me.id, 'group.updated', group.slug, {
				name: values.name,
				kind: values.kind,
				joinPolicy: values.joinPolicy,
				visibility: values.visibility,
				facilitators: values.facilitators
			});
			return { changedPeople, spaceId: space?.id ?? null, visibilityChanged };
		});
		this.bus.emit('group.changed', { groupId: group.id });
		if (visibilityChanged && spaceId !== null) this.bus.emit('access.changed', { categoryId: spaceId });
		if (changedPeople.length) this.bus.emit('access.changed', { userIds: changedPeople });
	}

	/**
	 * Archives a group (`archived`) or restores it. Archived, it is not listed for joining and cannot be joined, and
	 * its space takes nothing new; its page, members and threads stay readable.
	 */
	async setArchived(auth: Authenticated | null, slug: string, archived: boolean): Promise<void> {
		const me = this.#coordinator(auth);
		const group = await this.#group(slug);
		const now = this.clock();
		const changed = await this.db.transaction().execute(async (trx) => {
			if (!(await setGroupArchived(trx, group.id, archived ? now : null))) return false;
			await this.#audit(trx, me.id, archived ? 'group.archived' : 'group.restored', group.slug, {});
			return true;
		});
		if (!changed) return;
		this.bus.emit('group.changed', { groupId: group.id });
		const space = await findGroupCategory(this.db, group.id);
		if (space) this.bus.emit('access.changed', { categoryId: space.id });
	}

	/** Validates the form against the rules and the other groups; throws invalid_input with every problem. */
	async #check(trx: Trx, input: GroupInput, groupId: number | null): Promise<GroupValues> {
		const { problems, values } = checkGroup(input);
		// Told together with the form's other problems, so one round shows everything to fix.
		if (!problems.name) {
			const others = (await groupNames(trx)).filter((g) => g.id !== groupId);
			if (others.some((g) => sameGroupName(g.name, input.name))) problems.name = 'name_taken';
		}
		if (!problems.facilitators) {
			const active = await activeAmong(trx, input.facilitators);
			if (input.facilitators.some((id) => !active.has(id))) problems.facilitators = 'not_active_member';
		}
		if (!values || Object.keys(problems).length) throw new DomainError('invalid_input', 'group has problems', problems);
		return values;
	}

	#audit(trx: Trx, actorId: number, action: string, slug: string, data: Record<string, unknown>) {
		return insertAudit(trx, { actor_id: actorId, action, subject_type: 'group', subject_id: slug, data, created_at: this.clock() });
	}

	#group(slug: string): Promise<GroupRow> {
		return existingGroup(this.db, slug);
	}

	#coordinator(auth: Authenticated | null) {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor) || !hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}
}
