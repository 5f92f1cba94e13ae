import type { Kysely, Transaction } from 'kysely';
import type { Database, OrganisationRow } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertOrganisation(
	db: Conn,
	org: { slug: string; name: string; description: string; city: string | null; website: string | null; created_at: number }
): Promise<number> {
	return (await db.insertInto('organisations').values(org).returning('id').executeTakeFirstOrThrow()).id;
}

export async function slugTaken(db: Conn, slug: string): Promise<boolean> {
	return !!(await db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirst());
}

export async function setOrganisationFields(db: Conn, organisationId: number, fieldIds: number[]): Promise<void> {
	await db.deleteFrom('organisation_fields').where('organisation_id', '=', organisationId).execute();
	if (fieldIds.length) {
		await db.insertInto('organisation_fields').values(fieldIds.map((field_id) => ({ organisation_id: organisationId, field_id }))).execute();
	}
}

export async function updateOrganisation(
	db: Conn,
	id: number,
	patch: { name: string; description: string; city: string | null; website: string | null }
): Promise<void> {
	await db.updateTable('organisations').set(patch).where('id', '=', id).execute();
}

export function findOrganisationBySlug(db: Conn, slug: string): Promise<OrganisationRow | undefined> {
	return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function listOrganisations(db: Conn) {
	return db
		.selectFrom('organisations')
		.leftJoin('organisation_representatives as r', 'r.organisation_id', 'organisations.id')
		.leftJoin('users as u', (j) => j.onRef('u.id', '=', 'r.user_id').on('u.status', '=', 'active'))
		.select((eb) => ['organisations.slug', 'organisations.name', 'organisations.city', 'organisations.description', eb.fn.count<number>('u.id').as('representatives')])
		.groupBy('organisations.id')
		.orderBy('organisations.name')
		.execute();
}

export function organisationFieldSlugs(db: Conn, organisationId: number): Promise<{ slug: string }[]> {
	return db
		.selectFrom('organisation_fields')
		.innerJoin('fields_of_action as f', 'f.id', 'organisation_fields.field_id')
		.select('f.slug')
		.where('organisation_id', '=', organisationId)
		.orderBy('f.position')
		.execute();
}

export function representativesOf(db: Conn, organisationId: number) {
	return db
		.selectFrom('organisation_representatives as r')
		.innerJoin('users as u', 'u.id', 'r.user_id')
		.select(['u.id', 'u.display_name', 'u.city', 'u.status'])
		.where('r.organisation_id', '=', organisationId)
		.where('u.status', '=', 'active')
		.orderBy('u.display_name')
		.execute();
}

export async function isRepresentative(db: Conn, organisationId: number, userId: number): Promise<boolean> {
	return !!(await db
		.selectFrom('organisation_representatives')
		.select('user_id')
		.where('organisation_id', '=', organisationId)
		.where('user_id', '=', userId)
		.executeTakeFirst());
}

export async function addRepresentative(db: Conn, organisationId: number, userId: number, now: number): Promise<void> {
	await db
		.insertInto('organisation_representatives')
		.values({ organisation_id: organisationId, user_id: userId, created_at: now })
		.onConflict((oc) => oc.doNothing())
		.execute();
}

export async function removeRepresentative(db: Conn, organisationId: number, userId: number): Promise<void> {
	await db.deleteFrom('organisation_representatives').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
}

/** Groups that any of the organisation's representatives belong to. */
export function groupsOfOrganisation(db: Conn, organisationId: number) {
	return db
		.selectFrom('groups as g')
		.innerJoin('group_members as gm', 'gm.group_id', 'g.id')
		.innerJoin('organisation_representatives as r', 'r.user_id', 'gm.user_id')
		.select(['g.slug', 'g.name', 'g.kind'])
		.where('r.organisation_id', '=', organisationId)
		.groupBy('g.id')
		.orderBy('g.name')
		.execute();
}
