import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewUser, UserRow, UserUpdate } from '../database.js';
import { joinedTextFunction, textPositionFunction } from '../dialect/sql.js';

type Conn = Kysely<Database> | Transaction<Database>;

export function findUserByEmail(db: Conn, email: string): Promise<UserRow | undefined> {
	return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Conn, id: number): Promise<UserRow | undefined> {
	return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Conn, user: NewUser): Promise<number> {
	const row = await db
		.insertInto('users')
		.values({ ...user, email: user.email.trim().toLowerCase() })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function updateUser(db: Conn, id: number, patch: UserUpdate): Promise<void> {
	await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export async function emailTaken(db: Conn, email: string): Promise<boolean> {
	return !!(await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst());
}

export async function fieldIdsBySlug(db: Conn, slugs: string[]): Promise<number[]> {
	if (!slugs.length) return [];
	// Only open fields can be chosen. A merged field stands for the one it was merged into (an application sent before
	// the merge keeps its choice); an archived one is no longer offered.
	const rows = await db
		.selectFrom('fields_of_action as f')
		.leftJoin('fields_of_action as into', 'into.id', 'f.merged_into')
		.select((eb) => eb.fn.coalesce('into.id', 'f.id').as('id'))
		.where('f.slug', 'in', slugs)
		.where((eb) =>
			eb.or([
				eb.and([eb('f.merged_into', 'is', null), eb('f.archived_at', 'is', null)]),
				eb.and([eb('f.merged_into', 'is not', null), eb('into.archived_at', 'is', null)])
			])
		)
		.execute();
	return [...new Set(rows.map((r) => r.id))];
}

export async function setUserFields(db: Conn, userId: number, fieldIds: number[]): Promise<void> {
	await db.deleteFrom('user_fields').where('user_id', '=', userId).execute();
	if (fieldIds.length) await db.insertInto('user_fields').values(fieldIds.map((field_id) => ({ user_id: userId, field_id }))).execute();
}

export function userFieldSlugs(db: Conn, userId: number): Promise<{ slug: string }[]> {
	return db
		.selectFrom('user_fields')
		.innerJoin('fields_of_action as f', 'f.id', 'user_fields.field_id')
		.select('f.slug')
		.where('user_id', '=', userId)
		.orderBy('f.position')
		.execute();
}

export function organisationsOfUser(db: Conn, userId: number) {
	return db
		.selectFrom('organisation_representatives as r')
		.innerJoin('organisations as o', 'o.id', 'r.organisation_id')
		.select(['o.id', 'o.slug', 'o.name'])
		.where('r.user_id', '=', userId)
		.orderBy('o.name')
		.execute();
}

export function groupsOfUser(db: Conn, userId: number) {
	return db
		.selectFrom('group_members as gm')
		.innerJoin('groups as g', 'g.id', 'gm.group_id')
		.select(['g.id', 'g.slug', 'g.name', 'g.kind', 'gm.role', 'gm.joined_at'])
		.where('gm.user_id', '=', userId)
		.orderBy('g.name')
		.execute();
}

export interface DirectoryFilter {
	q?: string;
	field?: string;
	city?: string;
	group?: string;
	organisation?: string;
}

/** Distinct cities of active members, for the directory filter. */
export async function memberCities(db: Conn): Promise<string[]> {
	const rows = await db.selectFrom('users').select('city').distinct().where('status', '=', 'active').where('city', 'is not', null).orderBy('city').execute();
	return rows.map((r) => r.city!).filter(Boolean);
}

export interface DirectoryRow {
	id: number;
	display_name: string;
	city: string | null;
	role: UserRow['role'];
	organisations: string | null;
}

/** The tables that tie a member to a field, a group or an organisation, each of which has a slug. */
const LINKS = {
	field: { link: 'user_fields', target: 'fields_of_action', key: 'field_id' },
	group: { link: 'group_members', target: 'groups', key: 'group_id' },
	organisation: { link: 'organisation_representatives', target: 'organisations', key: 'organisation_id' }
} as const satisfies Record<string, { link: keyof Database; target: keyof Database; key: string }>;

/** True for the directory's row when its member is tied to the field, group or organisation with that slug. */
function linkedBySlug(kind: keyof typeof LINKS, slug: string) {
	const { link, target, key } = LINKS[kind];
	return sql<boolean>`exists (select 1 from ${sql.table(link)} as l inner join ${sql.table(target)} as t on t.id = ${sql.ref(`l.${key}`)} where l.user_id = users.id and t.slug = ${slug})`;
}

/** Active members matching the filter, with their organisations' names joined by a unit separator. */
export function listActiveMembers(db: Conn, filter: DirectoryFilter = {}): Promise<DirectoryRow[]> {
	let q = db
		.selectFrom('users')
		.leftJoin('organisation_representatives as r', 'r.user_id', 'users.id')
		.leftJoin('organisations as o', 'o.id', 'r.organisation_id')
		.select((eb) => [
			'users.id',
			'users.display_name',
			'users.city',
			'users.role',
			eb.fn<string | null>(joinedTextFunction(db), ['o.name', eb.val('\u001f')]).as('organisations')
		])
		.where('users.status', '=', 'active');
	if (filter.q) {
		// instr() rather than LIKE: what the person typed is matched literally, wildcards included.
		const needle = filter.q.toLowerCase();
		q = q.where((eb) =>
			eb.or([
				eb(eb.fn(textPositionFunction(db), [eb.fn('lower', ['users.display_name']), eb.val(needle)]), '>', 0),
				eb(eb.fn(textPositionFunction(db), [eb.fn('lower', ['o.name']), eb.val(needle)]), '>', 0)
			])
		);
	}
	if (filter.city) q = q.where('users.city', '=', filter.city);
	if (filter.field) q = q.where(linkedBySlug('field', filter.field));
	if (filter.group) q = q.where(linkedBySlug('group', filter.group));
	if (filter.organisation) q = q.where(linkedBySlug('organisation', filter.organisation));
	return q.groupBy('users.id').orderBy('users.display_name').limit(500).execute();
}

/**
 * Every active member's name and email, for matching @mentions in code (names are matched across scripts, which
 * SQL cannot do). Bounded: a network far larger than Kuvend's is cut, newest accounts last.
 */
export function activeMemberNames(db: Conn, max = 20_000): Promise<{ id: number; display_name: string; email: string }[]> {
	return db.selectFrom('users').select(['id', 'display_name', 'email']).where('status', '=', 'active').orderBy('id').limit(max).execute();
}

/**
 * What a deleted account leaves: its places in groups and organisations, its pending group requests and reset
 * links. Its writing and its audit trail stay.
 */
export async function removeAccountTies(db: Conn, userId: number): Promise<void> {
	await db.deleteFrom('group_members').where('user_id', '=', userId).execute();
	await db.deleteFrom('group_join_requests').where('user_id', '=', userId).execute();
	await db.deleteFrom('organisation_representatives').where('user_id', '=', userId).execute();
	await db.deleteFrom('password_resets').where('user_id', '=', userId).execute();
}

/** The records about a member kept beside the account (for their data export): never a session's token. */
export async function personalRecords(db: Conn, userId: number) {
	const [sessions, joinRequests, groupJoinRequests, auditTrail] = await Promise.all([
		db.selectFrom('sessions').select(['created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip']).where('user_id', '=', userId).execute(),
		db.selectFrom('join_requests').selectAll().where('user_id', '=', userId).execute(),
		db.selectFrom('group_join_requests').selectAll().where('user_id', '=', userId).execute(),
		db
			.selectFrom('audit_log')
			.selectAll()
			.where((eb) => eb.or([eb('actor_id', '=', userId), eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', String(userId))])]))
			.execute()
	]);
	return { sessions, joinRequests, groupJoinRequests, auditTrail };
}
