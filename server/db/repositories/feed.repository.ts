import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** When each meeting last changed in a way its feed entry shows: announced, started, ended. */
export async function meetingChanges(db: Conn, ids: number[]): Promise<Map<number, number>> {
	if (!ids.length) return new Map();
	const rows = await db.selectFrom('meetings').select(['id', 'created_at', 'started_at', 'ended_at']).where('id', 'in', ids).execute();
	return new Map(rows.map((r) => [r.id, Math.max(r.created_at, r.started_at ?? 0, r.ended_at ?? 0)]));
}

/** Of these threads, those in the space of the field of action `fieldSlug`. */
export async function threadsInField(db: Conn, fieldSlug: string, threadIds: number[]): Promise<Set<number>> {
	if (!threadIds.length) return new Set();
	const rows = await db
		.selectFrom('threads as t')
		.innerJoin('categories as c', 'c.id', 't.category_id')
		.innerJoin('fields_of_action as f', 'f.id', 'c.field_id')
		.select('t.id')
		.where('f.slug', '=', fieldSlug)
		.where('t.id', 'in', threadIds)
		.execute();
	return new Set(rows.map((r) => r.id));
}

/** Of these meetings, those with an agenda item on a thread in the space of the field of action `fieldSlug`. */
export async function meetingsOnField(db: Conn, fieldSlug: string, meetingIds: number[]): Promise<Set<number>> {
	if (!meetingIds.length) return new Set();
	const rows = await db
		.selectFrom('agenda_items as a')
		.innerJoin('threads as t', 't.id', 'a.thread_id')
		.innerJoin('categories as c', 'c.id', 't.category_id')
		.innerJoin('fields_of_action as f', 'f.id', 'c.field_id')
		.select('a.meeting_id')
		.distinct()
		.where('f.slug', '=', fieldSlug)
		.where('a.meeting_id', 'in', meetingIds)
		.execute();
	return new Set(rows.map((r) => r.meeting_id));
}
