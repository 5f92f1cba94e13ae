import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, MeetingRow } from '../database.js';
import { flag } from '../dialect/sql.js';

type Conn = Kysely<Database> | Transaction<Database>;

const meetingsWithGroup = (db: Conn) =>
	db.selectFrom('meetings as m').leftJoin('groups as g', 'g.id', 'm.group_id').selectAll('m').select(['g.slug as group_slug', 'g.name as group_name']);

export type MeetingWithGroup = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

export function findMeeting(db: Conn, id: number) {
	return meetingsWithGroup(db).where('m.id', '=', id).executeTakeFirst();
}

/** Where a meeting stands in the lists: by its start, then by id (two meetings may start together). */
export interface MeetingKey {
	startsAt: number;
	id: number;
}

/**
 * Upcoming (not ended, soonest first) or past (ended or over, latest first) meetings a reader may see. From the
 * meeting after the key `after` when given (the API's cursor), whether or not that meeting is still listed.
 */
export function listMeetings(db: Conn, opts: { member: boolean; past: boolean; now: number; after?: MeetingKey; limit?: number }) {
	const order = opts.past ? 'desc' : 'asc';
	return meetingsWithGroup(db)
		.$if(!opts.member, (q) => q.where('m.visibility', '=', 'public'))
		.$if(opts.past, (q) => q.where((eb) => eb.or([eb('m.status', '=', 'ended'), eb.and([eb('m.status', '=', 'scheduled'), eb('m.ends_at', '<', opts.now)])])))
		.$if(!opts.past, (q) => q.where((eb) => eb.or([eb('m.status', '=', 'live'), eb.and([eb('m.status', '=', 'scheduled'), eb('m.ends_at', '>=', opts.now)])])))
		// A row-value comparison: SQLite and PostgreSQL both read it as a range of the (starts_at, id) index.
		.$if(opts.after !== undefined, (q) => q.where(({ eb, refTuple, tuple }) => eb(refTuple('m.starts_at', 'm.id'), opts.past ? '<' : '>', tuple(opts.after!.startsAt, opts.after!.id))))
		.orderBy('m.starts_at', order)
		.orderBy('m.id', order)
		.limit(opts.limit ?? 200)
		.execute();
}

export async function insertMeeting(db: Conn, row: Omit<MeetingRow, 'id' | 'status' | 'current_item_id' | 'started_at' | 'ended_at' | 'minutes_draft_id' | 'minutes_locale' | 'minutes_vote_id' | 'minutes_claimed_at'> & { minutes_locale?: MeetingRow['minutes_locale'] }): Promise<number> {
	return (await db.insertInto('meetings').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateMeeting(db: Conn, id: number, set: Partial<Pick<MeetingRow, 'status' | 'current_item_id' | 'started_at' | 'ended_at' | 'minutes_draft_id'>>): Promise<void> {
	await db.updateTable('meetings').set(set).where('id', '=', id).execute();
}

export async function chairsOf(db: Conn, meetingId: number) {
	return db
		.selectFrom('meeting_chairs as c')
		.innerJoin('users as u', 'u.id', 'c.user_id')
		.select(['u.id', 'u.display_name as name'])
		.where('c.meeting_id', '=', meetingId)
		.orderBy('u.display_name')
		.execute();
}

export async function insertChairs(db: Conn, meetingId: number, userIds: number[]): Promise<void> {
	if (userIds.length) await db.insertInto('meeting_chairs').values(userIds.map((user_id) => ({ meeting_id: meetingId, user_id }))).onConflict((oc) => oc.doNothing()).execute();
}

/** Active members among `ids` (chairs must be members). */
export async function activeMembers(db: Conn, ids: number[]): Promise<number[]> {
	if (!ids.length) return [];
	return (await db.selectFrom('users').select('id').where('id', 'in', ids).where('status', '=', 'active').execute()).map((r) => r.id);
}

export function agendaOf(db: Conn, meetingId: number) {
	return db
		.selectFrom('agenda_items as a')
		.leftJoin('threads as t', 't.id', 'a.thread_id')
		.leftJoin('drafts as d', 'd.id', 'a.draft_id')
		.selectAll('a')
		.select(['t.title as thread_title', 'd.title as draft_title'])
		.where('a.meeting_id', '=', meetingId)
		.orderBy('a.position')
		.execute();
}

export type AgendaRow = Awaited<ReturnType<typeof agendaOf>>[number];

export async function insertItems(db: Conn, meetingId: number, items: { title: string; thread_id?: number | null; draft_id?: number | null }[], from = 1): Promise<void> {
	if (items.length)
		await db
			.insertInto('agenda_items')
			.values(items.map((it, i) => ({ meeting_id: meetingId, position: from + i, title: it.title, thread_id: it.thread_id ?? null, draft_id: it.draft_id ?? null })))
			.execute();
}

export async function lastPosition(db: Conn, meetingId: number): Promise<number> {
	const r = await db.selectFrom('agenda_items').select((eb) => eb.fn.max('position').as('p')).where('meeting_id', '=', meetingId).executeTakeFirst();
	return Number(r?.p ?? 0);
}

export async function setItemStatus(db: Conn, meetingId: number, itemId: number, status: 'pending' | 'current' | 'done', now: number | null = null): Promise<boolean> {
	const r = await db
		.updateTable('agenda_items')
		.set({ status, ...(status === 'done' ? { concluded_at: now } : {}) })
		.where('id', '=', itemId)
		.where('meeting_id', '=', meetingId)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Who counts for the meeting: active members of its group, or of the network. */
export async function memberCount(db: Conn, groupId: number | null): Promise<number> {
	const r = await db
		.selectFrom('users as u')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('u.status', '=', 'active')
		.$if(groupId !== null, (q) => q.where('u.id', 'in', (s) => s.selectFrom('group_members').select('user_id').where('group_id', '=', groupId!)))
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

export async function isMemberOfBody(db: Conn, groupId: number | null, userId: number): Promise<boolean> {
	if (groupId === null) return true;
	return !!(await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst());
}

/**
 * The organisations of a meeting's body (those with an active representative who is a member of it), and how many
 * of them are present: one of their representatives has checked in.
 */
export async function organisationsPresent(db: Conn, meetingId: number, groupId: number | null): Promise<{ present: number; total: number }> {
	const reps = db
		.selectFrom('organisation_representatives as r')
		.innerJoin('users as u', 'u.id', 'r.user_id')
		.where('u.status', '=', 'active')
		.$if(groupId !== null, (q) => q.where('r.user_id', 'in', (s) => s.selectFrom('group_members').select('user_id').where('group_id', '=', groupId!)));
	const [total, present] = await Promise.all([
		reps.select((eb) => eb.fn.count<number>('r.organisation_id').distinct().as('n')).executeTakeFirstOrThrow(),
		reps
			.where('r.user_id', 'in', (s) => s.selectFrom('meeting_attendance').select('user_id').where('meeting_id', '=', meetingId))
			.select((eb) => eb.fn.count<number>('r.organisation_id').distinct().as('n'))
			.executeTakeFirstOrThrow()
	]);
	return { present: Number(present.n), total: Number(total.n) };
}

/** Checked-in people with whether they count for quorum (active, and in the meeting's group if it has one). */
export function attendance(db: Conn, meetingId: number, groupId: number | null) {
	return db
		.selectFrom('meeting_attendance as a')
		.innerJoin('users as u', 'u.id', 'a.user_id')
		.select(['u.id', 'u.display_name as name', 'a.checked_in_at'])
		.select((eb) =>
			flag(
				db,
				groupId === null
					? sql<number>`${eb.ref('u.status')} = 'active'`
					: sql<number>`${eb.ref('u.status')} = 'active' and exists (select 1 from group_members gm where gm.group_id = ${groupId} and gm.user_id = ${eb.ref('u.id')})`
			).as('eligible')
		)
		.where('a.meeting_id', '=', meetingId)
		.orderBy('u.display_name')
		.execute();
}

export async function checkIn(db: Conn, meetingId: number, userId: number, by: number, now: number): Promise<boolean> {
	const r = await db.insertInto('meeting_attendance').values({ meeting_id: meetingId, user_id: userId, checked_in_at: now, checked_in_by: by }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
	return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function checkOut(db: Conn, meetingId: number, userId: number): Promise<boolean> {
	const r = await db.deleteFrom('meeting_attendance').where('meeting_id', '=', meetingId).where('user_id', '=', userId).executeTakeFirst();
	return Number(r.numDeletedRows) === 1;
}

export async function isCheckedIn(db: Conn, meetingId: number, userId: number): Promise<boolean> {
	return !!(await db.selectFrom('meeting_attendance').select('user_id').where('meeting_id', '=', meetingId).where('user_id', '=', userId).executeTakeFirst());
}

export function names(db: Conn, ids: number[]) {
	if (!ids.length) return Promise.resolve([] as { id: number; name: string }[]);
	return db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', ids).execute();
}

/** The open part of the list of speakers (waiting and speaking) and the latest speeches, in order. */
export function speakersOf(db: Conn, meetingId: number) {
	return db
		.selectFrom('meeting_speakers as s')
		.innerJoin('users as u', 'u.id', 's.user_id')
		.select(['s.id', 's.user_id', 's.status', 's.position', 's.item_id', 's.requested_at', 's.started_at', 's.ended_at', 'u.display_name as name'])
		.where('s.meeting_id', '=', meetingId)
		.where('s.status', 'in', ['waiting', 'speaking'])
		.orderBy('s.position')
		.execute();
}

export type SpeakerWithName = Awaited<ReturnType<typeof speakersOf>>[number];

export async function insertSpeaker(db: Conn, row: { meeting_id: number; item_id: number | null; user_id: number; position: number; requested_at: number }): Promise<void> {
	await db.insertInto('meeting_speakers').values(row).execute();
}

export async function setSpeaker(db: Conn, meetingId: number, id: number, set: { status?: 'waiting' | 'speaking' | 'done' | 'withdrawn'; position?: number; started_at?: number; ended_at?: number }): Promise<boolean> {
	const r = await db.updateTable('meeting_speakers').set(set).where('id', '=', id).where('meeting_id', '=', meetingId).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Ends whoever is speaking. */
export async function endSpeech(db: Conn, meetingId: number, now: number): Promise<void> {
	await db.updateTable('meeting_speakers').set({ status: 'done', ended_at: now }).where('meeting_id', '=', meetingId).where('status', '=', 'speaking').execute();
}

export function votesOfMeeting(db: Conn, meetingId: number) {
	return db.selectFrom('votes').select(['id', 'title', 'method', 'status', 'secret', 'agenda_item_id', 'result']).where('meeting_id', '=', meetingId).orderBy('id').execute();
}

export type MeetingVoteRow = Awaited<ReturnType<typeof votesOfMeeting>>[number];

/** The meeting a vote was held in, or null. */
export async function meetingOfVote(db: Conn, voteId: number): Promise<number | null> {
	const row = await db.selectFrom('votes').select('meeting_id').where('id', '=', voteId).executeTakeFirst();
	return row?.meeting_id ?? null;
}
