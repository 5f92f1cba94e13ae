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

/** Groups by name: every group, or (given a member) only those they facilitate. */
export function groupsFacilitatedBy(db: Conn, userId: number | null) {
	return db
		.selectFrom('groups as g')
		.select(['g.id', 'g.slug', 'g.name'])
		.$if(userId !== null, (q) => q.where('g.id', 'in', (s) => s.selectFrom('group_members').select('group_id').where('user_id', '=', userId!).where('role', '=', 'facilitator')))
		.orderBy('g.name')
		.execute();
}

/** Facilitators of a group (none for the network, `null`). */
export async function facilitatorsOf(db: Conn, groupId: number | null): Promise<number[]> {
	if (groupId === null) return [];
	return (await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('role', '=', 'facilitator').execute()).map((r) => r.user_id);
}
