import type { Kysely, Transaction } from 'kysely';
import type { Database, GroupRow } from '../database.js';
import type { GroupRole } from '../../domain/permissions.js';

type Conn = Kysely<Database> | Transaction<Database>;

export function findGroupBySlug(db: Conn, slug: string): Promise<GroupRow | undefined> {
	return db.selectFrom('groups').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function membershipOf(db: Conn, groupId: number, userId: number) {
	return db.selectFrom('group_members').select(['role']).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
}

export async function hasPendingRequest(db: Conn, groupId: number, userId: number): Promise<boolean> {
	return !!(await db.selectFrom('group_join_requests').select('user_id').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst());
}

export async function addGroupMember(db: Conn, groupId: number, userId: number, now: number, role: 'member' | 'facilitator' = 'member'): Promise<void> {
	await db
		.insertInto('group_members')
		.values({ group_id: groupId, user_id: userId, role, joined_at: now })
		.onConflict((oc) => oc.doNothing())
		.execute();
}

/** Takes a member out of a group; true when they were in it. */
export async function removeGroupMember(db: Conn, groupId: number, userId: number): Promise<boolean> {
	const res = await db.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
	return Number(res.numDeletedRows) === 1;
}

/** Sets a member's place in a group; true when it changed (false also when they are not in it). */
export async function setGroupRole(db: Conn, groupId: number, userId: number, role: GroupRole): Promise<boolean> {
	const res = await db
		.updateTable('group_members')
		.set({ role })
		.where('group_id', '=', groupId)
		.where('user_id', '=', userId)
		.where('role', '!=', role)
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

export async function insertGroupRequest(db: Conn, groupId: number, userId: number, now: number): Promise<void> {
	await db.insertInto('group_join_requests').values({ group_id: groupId, user_id: userId, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
}

/** Deletes a pending request; true when there was one. */
export async function deleteGroupRequest(db: Conn, groupId: number, userId: number): Promise<boolean> {
	const res = await db.deleteFrom('group_join_requests').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
	return Number(res.numDeletedRows) === 1;
}

export function groupMembers(db: Conn, groupId: number) {
	return db
		.selectFrom('group_members as gm')
		.innerJoin('users as u', 'u.id', 'gm.user_id')
		.select(['u.id', 'u.display_name', 'u.city', 'gm.role'])
		.where('gm.group_id', '=', groupId)
		.where('u.status', '=', 'active')
		.orderBy('gm.role', 'asc')
		.orderBy('u.display_name')
		.execute();
}

export function groupRequests(db: Conn, groupId: number) {
	return db
		.selectFrom('group_join_requests as r')
		.innerJoin('users as u', 'u.id', 'r.user_id')
		.select(['u.id', 'u.display_name', 'u.city', 'r.created_at'])
		.where('r.group_id', '=', groupId)
		.where('u.status', '=', 'active')
		.orderBy('r.created_at')
		.execute();
}

/** The person's place in a group: null when not a member. */
export async function groupRole(db: Conn, groupId: number, userId: number): Promise<GroupRole | null> {
	const row = await db.selectFrom('group_members').select('role').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
	return row?.role ?? null;
}

export async function facilitatesAnyGroup(db: Conn, userId: number): Promise<boolean> {
	return !!(await db.selectFrom('group_members').select('group_id').where('user_id', '=', userId).where('role', '=', 'facilitator').limit(1).executeTakeFirst());
}

/** Groups by name: every group, or (given a member) only those they facilitate; archived ones are not offered. */
export function groupsFacilitatedBy(db: Conn, userId: number | null) {
	return db
		.selectFrom('groups as g')
		.select(['g.id', 'g.slug', 'g.name'])
		.where('g.archived_at', 'is', null)
		.$if(userId !== null, (q) => q.where('g.id', 'in', (s) => s.selectFrom('group_members').select('group_id').where('user_id', '=', userId!).where('role', '=', 'facilitator')))
		.orderBy('g.name')
		.execute();
}

/** Facilitators of a group (none for the network, `null`). */
export async function facilitatorsOf(db: Conn, groupId: number | null): Promise<number[]> {
	if (groupId === null) return [];
	return (await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('role', '=', 'facilitator').execute()).map((r) => r.user_id);
}

/** Every group, archived ones too, with its member count and its space's visibility: the coordinators' list. */
export function listGroupsForCoordination(db: Conn) {
	return db
		.selectFrom('groups as g')
		.leftJoin('categories as c', 'c.group_id', 'g.id')
		.select(['g.id', 'g.slug', 'g.name', 'g.kind', 'g.city', 'g.join_policy', 'g.archived_at', 'c.visibility'])
		.select((eb) =>
			eb
				.selectFrom('group_members as gm')
				.innerJoin('users as u', 'u.id', 'gm.user_id')
				.whereRef('gm.group_id', '=', 'g.id')
				.where('u.status', '=', 'active')
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('member_count')
		)
		.orderBy('g.archived_at', (ob) => ob.asc().nullsFirst())
		.orderBy('g.name')
		.execute();
}

/** Names and slugs of every group: a second group of the same name is refused (compared in the domain, case-blind),
 * and a new slug must be free. */
export function groupNames(db: Conn) {
	return db.selectFrom('groups').select(['id', 'name', 'slug']).execute();
}

export interface GroupFields {
	name: string;
	kind: GroupRow['kind'];
	city: string | null;
	/** Three-language JSON (src/lib/shared/localized.ts). */
	description: string;
	join_policy: 'open' | 'request';
}

export async function insertGroup(db: Conn, row: GroupFields & { slug: string; created_at: number }): Promise<number> {
	const { id } = await db.insertInto('groups').values(row).returning('id').executeTakeFirstOrThrow();
	return id;
}

export async function updateGroup(db: Conn, id: number, patch: GroupFields): Promise<void> {
	await db.updateTable('groups').set(patch).where('id', '=', id).execute();
}

/** Archives (a time) or restores (null) a group; true when that changed it. */
export async function setGroupArchived(db: Conn, id: number, archivedAt: number | null): Promise<boolean> {
	const res = await db
		.updateTable('groups')
		.set({ archived_at: archivedAt })
		.where('id', '=', id)
		.where('archived_at', archivedAt === null ? 'is not' : 'is', null)
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

/** Active members of the network a coordinator can name facilitators, by name; bounded. */
export function facilitatorCandidates(db: Conn, limit: number) {
	return db.selectFrom('users').select(['id', 'display_name', 'city']).where('status', '=', 'active').orderBy('display_name').orderBy('id').limit(limit).execute();
}

/** Which of these people are active members of the network. */
export async function activeAmong(db: Conn, userIds: number[]): Promise<Set<number>> {
	if (!userIds.length) return new Set();
	const rows = await db.selectFrom('users').select('id').where('id', 'in', userIds).where('status', '=', 'active').execute();
	return new Set(rows.map((r) => r.id));
}

/** Whether the group was archived (an unknown group is not). */
export async function groupIsArchived(db: Conn, id: number): Promise<boolean> {
	const row = await db.selectFrom('groups').select('archived_at').where('id', '=', id).executeTakeFirst();
	return row?.archived_at != null;
}
