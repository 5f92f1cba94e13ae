import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, FieldOfActionRow } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface FieldWithSpace extends FieldOfActionRow {
	space_slug: string | null;
}

/** Every field, merged ones too (their old links still lead somewhere), open and archived ones in their order. */
export function listFields(db: Conn): Promise<FieldWithSpace[]> {
	return db
		.selectFrom('fields_of_action as f')
		.leftJoin('categories as c', 'c.field_id', 'f.id')
		.selectAll('f')
		.select('c.slug as space_slug')
		.orderBy('f.position')
		.orderBy('f.id')
		.execute();
}

export function findField(db: Conn, slug: string): Promise<FieldWithSpace | undefined> {
	return db
		.selectFrom('fields_of_action as f')
		.leftJoin('categories as c', 'c.field_id', 'f.id')
		.selectAll('f')
		.select('c.slug as space_slug')
		.where('f.slug', '=', slug)
		.executeTakeFirst();
}

/** Slugs in use by a field or a forum space: a new field's space takes its field's slug. */
export async function usedSlugs(db: Conn): Promise<Set<string>> {
	const [fields, spaces] = await Promise.all([
		db.selectFrom('fields_of_action').select('slug').execute(),
		db.selectFrom('categories').select('slug').execute()
	]);
	return new Set([...fields, ...spaces].map((r) => r.slug));
}

export async function insertField(db: Conn, field: { slug: string; name: string; position: number }): Promise<number> {
	const row = await db.insertInto('fields_of_action').values(field).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

/** Gives every field that lacks one its own forum space, for members, under the field's slug. */
export async function ensureFieldCategories(db: Conn): Promise<void> {
	await sql`insert into categories (slug, field_id, visibility, position)
		select f.slug, f.id, 'members', f.position from fields_of_action f
		where not exists (select 1 from categories c where c.field_id = f.id)`.execute(db);
}

/** Each field's forum space id, by field id. */
export async function spaceIdsOf(db: Conn, fieldIds: number[]): Promise<Map<number, number>> {
	if (!fieldIds.length) return new Map();
	const rows = await db.selectFrom('categories').select(['id', 'field_id']).where('field_id', 'in', fieldIds).execute();
	return new Map(rows.map((r) => [r.field_id!, r.id]));
}

export async function updateField(db: Conn, id: number, patch: { name?: string; archived_at?: number | null; merged_into?: number | null }): Promise<void> {
	await db.updateTable('fields_of_action').set(patch).where('id', '=', id).execute();
}

/** Numbers the fields 1, 2, 3… in the given order, and their spaces with them (the forum lists spaces by position). */
export async function setFieldOrder(db: Conn, ids: number[]): Promise<void> {
	for (const [i, id] of ids.entries()) {
		await db.updateTable('fields_of_action').set({ position: i + 1 }).where('id', '=', id).execute();
		await db.updateTable('categories').set({ position: i + 1 }).where('field_id', '=', id).execute();
	}
}

/**
 * Moves everything of field `from` to field `into`: the threads of its space (with the space's counts; the search
 * index follows, since it finds a post's space through its thread), the members and organisations that chose it
 * (once each: those who had both keep one), and fields merged into it before. `from` is left empty, marked merged.
 */
export async function mergeField(db: Conn, from: { id: number; spaceId: number }, into: { id: number; spaceId: number }, now: number): Promise<number> {
	const moved = await db.updateTable('threads').set({ category_id: into.spaceId }).where('category_id', '=', from.spaceId).executeTakeFirst();
	await sql`update categories set
		thread_count = thread_count + (select thread_count from categories where id = ${from.spaceId}),
		post_count = post_count + (select post_count from categories where id = ${from.spaceId}),
		last_post_at = (select max(last_post_at) from threads where category_id = ${into.spaceId})
		where id = ${into.spaceId}`.execute(db);
	await db.updateTable('categories').set({ thread_count: 0, post_count: 0, last_post_at: null }).where('id', '=', from.spaceId).execute();

	for (const [table, owner] of [
		['user_fields', 'user_id'],
		['organisation_fields', 'organisation_id']
	] as const) {
		await sql`insert into ${sql.table(table)} (${sql.ref(owner)}, field_id)
			select a.${sql.ref(owner)}, ${into.id} from ${sql.table(table)} a
			where a.field_id = ${from.id}
			and not exists (select 1 from ${sql.table(table)} b where b.${sql.ref(owner)} = a.${sql.ref(owner)} and b.field_id = ${into.id})`.execute(db);
		await db.deleteFrom(table).where('field_id', '=', from.id).execute();
	}

	await db.updateTable('fields_of_action').set({ merged_into: into.id }).where('merged_into', '=', from.id).execute();
	await db
		.updateTable('fields_of_action')
		.set((eb) => ({ merged_into: into.id, archived_at: eb.fn.coalesce('archived_at', eb.val(now)) }))
		.where('id', '=', from.id)
		.execute();
	return Number(moved.numUpdatedRows);
}
