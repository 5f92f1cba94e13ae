import type { Kysely, Transaction } from 'kysely';
import type { Database, MeetingEventKind } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

// ——— the meeting's log ———

export async function insertEvent(db: Conn, row: { meeting_id: number; at: number; kind: MeetingEventKind; user_id?: number | null; item_id?: number | null }): Promise<void> {
	await db.insertInto('meeting_events').values({ user_id: null, item_id: null, ...row }).execute();
}

/** The log in order, with the names of the people it names. */
export function eventsOf(db: Conn, meetingId: number) {
	return db
		.selectFrom('meeting_events as e')
		.leftJoin('users as u', 'u.id', 'e.user_id')
		.select(['e.id', 'e.at', 'e.kind', 'e.user_id', 'e.item_id', 'u.display_name as name'])
		.where('e.meeting_id', '=', meetingId)
		.orderBy('e.id')
		.execute();
}

/** The speeches given on an item (ended ones, in the order they were given). */
export function speechesOn(db: Conn, meetingId: number, itemId: number) {
	return db
		.selectFrom('meeting_speakers as s')
		.innerJoin('users as u', 'u.id', 's.user_id')
		.select(['s.user_id', 'u.display_name as name', 's.started_at', 's.ended_at'])
		.where('s.meeting_id', '=', meetingId)
		.where('s.item_id', '=', itemId)
		.where('s.status', '=', 'done')
		.where('s.started_at', 'is not', null)
		.orderBy('s.started_at')
		.execute();
}

/** A meeting vote's row as the minutes tell it. */
export function votesOnItem(db: Conn, meetingId: number, itemId: number) {
	return db
		.selectFrom('votes')
		.select(['id', 'title', 'method', 'options', 'secret', 'threshold', 'quorum_kind', 'quorum_value', 'status', 'result'])
		.where('meeting_id', '=', meetingId)
		.where('agenda_item_id', '=', itemId)
		.orderBy('id')
		.execute();
}

export async function setMinutesVote(db: Conn, meetingId: number, voteId: number): Promise<boolean> {
	const r = await db.updateTable('meetings').set({ minutes_vote_id: voteId }).where('id', '=', meetingId).where('minutes_vote_id', 'is', null).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/**
 * The claim on putting a meeting's minutes to approval: true for exactly one of the chairs putting them at once, and
 * none once a vote holds them. A claim made before `staleBefore` (a node stopped midway) may be taken again.
 */
export async function claimMinutes(db: Conn, meetingId: number, now: number, staleBefore: number): Promise<boolean> {
	const r = await db
		.updateTable('meetings')
		.set({ minutes_claimed_at: now })
		.where('id', '=', meetingId)
		.where('minutes_vote_id', 'is', null)
		.where((eb) => eb.or([eb('minutes_claimed_at', 'is', null), eb('minutes_claimed_at', '<', staleBefore)]))
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Lets go of the claim made at `claimedAt` (a put that failed), unless another put took it since. */
export async function releaseMinutes(db: Conn, meetingId: number, claimedAt: number): Promise<void> {
	await db.updateTable('meetings').set({ minutes_claimed_at: null }).where('id', '=', meetingId).where('minutes_claimed_at', '=', claimedAt).execute();
}

export function meetingOfMinutesVote(db: Conn, voteId: number) {
	return db.selectFrom('meetings').select(['id', 'minutes_draft_id']).where('minutes_vote_id', '=', voteId).executeTakeFirst();
}

/** The body's next meeting that has not started: the earliest scheduled one still to come. */
export async function nextMeetingOf(db: Conn, groupId: number | null, now: number, after: number | null = null): Promise<{ id: number; title: string } | undefined> {
	return db
		.selectFrom('meetings')
		.select(['id', 'title'])
		.where('status', '=', 'scheduled')
		.where('starts_at', '>', now)
		.where((eb) => (groupId === null ? eb('group_id', 'is', null) : eb('group_id', '=', groupId)))
		.$if(after !== null, (q) => q.where('id', '!=', after!))
		.orderBy('starts_at')
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
}

// ——— consent rounds' objections ———

/**
 * The claim on a closed online consent round's objections: true for exactly one caller, whichever node or timer it
 * is; the caller moves them in the same transaction.
 */
export async function claimObjections(db: Conn, voteId: number, now: number): Promise<boolean> {
	const r = await db
		.updateTable('votes')
		.set({ objections_moved_at: now })
		.where('id', '=', voteId)
		.where('method', '=', 'consent')
		.where('status', '=', 'closed')
		.where('meeting_id', 'is', null)
		.where('objections_moved_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Closed online consent rounds whose objections were not moved yet (a node stopped between closing and moving). */
export async function roundsToMove(db: Conn, limit = 50): Promise<number[]> {
	const rows = await db
		.selectFrom('votes')
		.select('id')
		.where('method', '=', 'consent')
		.where('status', '=', 'closed')
		.where('meeting_id', 'is', null)
		.where('objections_moved_at', 'is', null)
		.orderBy('id')
		.limit(limit)
		.execute();
	return rows.map((r) => r.id);
}

export function roundOf(db: Conn, voteId: number) {
	return db.selectFrom('votes').select(['id', 'title', 'group_id', 'thread_id', 'secret', 'visibility']).where('id', '=', voteId).executeTakeFirst();
}

/** A ballot's stored choice set again (a consent ballot without its reason, once the reason has been moved). */
export async function rewriteBallot(db: Conn, voteId: number, receipt: string, choice: string): Promise<void> {
	await db.updateTable('vote_ballots').set({ choice }).where('vote_id', '=', voteId).where('receipt', '=', receipt).execute();
}

export async function insertProposals(
	db: Conn,
	rows: { vote_id: number; meeting_id: number | null; kind: 'object' | 'block'; reason: string; author_unit: string | null; created_at: number }[]
): Promise<void> {
	if (rows.length) await db.insertInto('agenda_proposals').values(rows).execute();
}

/** Proposals waiting for a body's meeting (none was called when their round closed) are given to this meeting. */
export async function attachWaiting(db: Conn, meetingId: number, groupId: number | null): Promise<number> {
	const r = await db
		.updateTable('agenda_proposals')
		.set({ meeting_id: meetingId })
		.where('meeting_id', 'is', null)
		.where('status', '=', 'proposed')
		.where('vote_id', 'in', (s) => s.selectFrom('votes').select('id').where((eb) => (groupId === null ? eb('group_id', 'is', null) : eb('group_id', '=', groupId))))
		.executeTakeFirst();
	return Number(r.numUpdatedRows);
}

const proposals = (db: Conn) =>
	db
		.selectFrom('agenda_proposals as p')
		.innerJoin('votes as v', 'v.id', 'p.vote_id')
		.select(['p.id', 'p.vote_id', 'p.meeting_id', 'p.kind', 'p.reason', 'p.author_unit', 'p.status', 'p.agenda_item_id', 'p.outcome', 'v.title as vote_title', 'v.visibility as vote_visibility', 'v.thread_id', 'v.group_id']);

export function proposalsOf(db: Conn, meetingId: number) {
	return proposals(db).where('p.meeting_id', '=', meetingId).orderBy('p.id').execute();
}

/** A round's proposals with the meeting each went to. */
export function proposalsOfVote(db: Conn, voteId: number) {
	return proposals(db).leftJoin('meetings as mt', 'mt.id', 'p.meeting_id').select('mt.title as meeting_title').where('p.vote_id', '=', voteId).orderBy('p.id').execute();
}

export type ProposalRow = Awaited<ReturnType<typeof proposalsOf>>[number];

/** Whether a visitor may read a thread: in a public space, not for members only, not hidden. */
export async function threadIsPublic(db: Conn, threadId: number): Promise<boolean> {
	const row = await db
		.selectFrom('threads as t')
		.innerJoin('categories as c', 'c.id', 't.category_id')
		.select('t.id')
		.where('t.id', '=', threadId)
		.where('c.visibility', '=', 'public')
		.where('t.members_only', '=', 0)
		.where('t.hidden', '=', 0)
		.executeTakeFirst();
	return !!row;
}

export function findProposal(db: Conn, id: number) {
	return proposals(db).where('p.id', '=', id).executeTakeFirst();
}

export function proposalOfItem(db: Conn, itemId: number) {
	return proposals(db).where('p.agenda_item_id', '=', itemId).executeTakeFirst();
}

/** Decides a proposal still proposed; false when it was decided meanwhile (two chairs at once: one wins). */
export async function decideProposal(db: Conn, id: number, set: { status: 'accepted' | 'dropped' | 'withdrawn'; agenda_item_id?: number | null; decided_at: number; decided_by: number }): Promise<boolean> {
	const r = await db.updateTable('agenda_proposals').set(set).where('id', '=', id).where('status', '=', 'proposed').executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export async function setOutcome(db: Conn, id: number, outcome: string): Promise<void> {
	await db.updateTable('agenda_proposals').set({ outcome }).where('id', '=', id).execute();
}

/** Inserts one agenda item at the end and returns its id. */
export async function appendItem(db: Conn, meetingId: number, item: { title: string; notes: string; thread_id: number | null; draft_id?: number | null }, position: number): Promise<number> {
	const r = await db
		.insertInto('agenda_items')
		.values({ meeting_id: meetingId, position, title: item.title, notes: item.notes, thread_id: item.thread_id, draft_id: item.draft_id ?? null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return r.id;
}

/** Takes back an item just added (a put whose vote could not be made): the items after it move up one place. */
export async function removeItem(db: Conn, meetingId: number, itemId: number): Promise<void> {
	const item = await db.deleteFrom('agenda_items').where('id', '=', itemId).where('meeting_id', '=', meetingId).returning('position').executeTakeFirst();
	if (!item) return;
	await db
		.updateTable('agenda_items')
		.set((eb) => ({ position: eb('position', '-', 1) }))
		.where('meeting_id', '=', meetingId)
		.where('position', '>', item.position)
		.execute();
}

/** Moves every item one place down, making room for a first item. */
export async function shiftItems(db: Conn, meetingId: number): Promise<void> {
	await db
		.updateTable('agenda_items')
		.set((eb) => ({ position: eb('position', '+', 1) }))
		.where('meeting_id', '=', meetingId)
		.execute();
}
