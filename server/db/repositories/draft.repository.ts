import type { Kysely, Transaction } from 'kysely';
import type { AmendmentStatus, Database, DraftStatus, NewAmendment, NewDraft, NewDraftComment, NewDraftVersion } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

const draftsWithOwner = (db: Conn) =>
	db
		.selectFrom('drafts as d')
		.leftJoin('groups as g', 'g.id', 'd.group_id')
		.innerJoin('users as u', 'u.id', 'd.created_by')
		.leftJoin('votes as dv', 'dv.id', 'd.decided_by_vote_id')
		.selectAll('d')
		.select(['g.slug as group_slug', 'g.name as group_name', 'u.display_name as author_name', 'u.status as author_status', 'dv.title as decided_by_vote_title']);

/** A draft's row with its group's slug and name and its author's name and status. */
export type DraftWithOwner = NonNullable<Awaited<ReturnType<typeof findDraft>>>;

export function findDraft(db: Conn, id: number) {
	return draftsWithOwner(db).where('d.id', '=', id).executeTakeFirst();
}

/** Where a draft stands in the lists: by its latest change, then by id (two drafts may change in the same ms). */
export interface DraftKey {
	updatedAt: number;
	id: number;
}

/**
 * Drafts a reader may see, latest change first: public ones, and members-only ones for members. Archived ones only
 * when asked. From the draft after the key `after` when given (the API's cursor), whether or not it is still listed.
 */
export function listDrafts(db: Conn, opts: { member: boolean; archived: boolean; after?: DraftKey; limit?: number }) {
	return draftsWithOwner(db)
		.$if(!opts.member, (q) => q.where('d.visibility', '=', 'public'))
		.$if(!opts.archived, (q) => q.where('d.status', '<>', 'archived'))
		.$if(opts.archived, (q) => q.where('d.status', '=', 'archived'))
		// A row-value comparison: SQLite and PostgreSQL both read it as a range of the (updated_at, id) index.
		.$if(opts.after !== undefined, (q) => q.where(({ eb, refTuple, tuple }) => eb(refTuple('d.updated_at', 'd.id'), '<', tuple(opts.after!.updatedAt, opts.after!.id))))
		.orderBy('d.updated_at', 'desc')
		.orderBy('d.id', 'desc')
		.limit(opts.limit ?? 200)
		.execute();
}

export async function insertDraft(db: Conn, row: Omit<NewDraft, 'updated_at'>): Promise<number> {
	const r = await db
		.insertInto('drafts')
		.values({ ...row, updated_at: row.created_at })
		.returning('id')
		.executeTakeFirstOrThrow();
	return r.id;
}

export async function setDraftThread(db: Conn, id: number, threadId: number): Promise<void> {
	await db.updateTable('drafts').set({ thread_id: threadId }).where('id', '=', id).execute();
}

/** Sets who may see a draft; false when it already had that visibility. */
export async function setDraftVisibility(db: Conn, id: number, visibility: 'public' | 'members', now: number): Promise<boolean> {
	const r = await db.updateTable('drafts').set({ visibility, updated_at: now }).where('id', '=', id).where('visibility', '!=', visibility).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Moves a draft from one status to another; false when it was no longer in `from`. */
export async function moveDraftStatus(db: Conn, id: number, from: DraftStatus, to: DraftStatus, now: number): Promise<boolean> {
	const r = await db.updateTable('drafts').set({ status: to, updated_at: now }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/**
 * Adopts or rejects a frozen draft by a vote's outcome, once: only from "frozen", so of two votes closing at once
 * only the first moves it (and records itself as the vote that did).
 */
export async function decideDraft(db: Conn, id: number, voteId: number, to: 'adopted' | 'rejected', now: number): Promise<boolean> {
	const r = await db.updateTable('drafts').set({ status: to, decided_by_vote_id: voteId, updated_at: now }).where('id', '=', id).where('status', '=', 'frozen').executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** A version by its id, with nothing but what names it. */
export function versionById(db: Conn, id: number) {
	return db.selectFrom('draft_versions').select(['id', 'draft_id', 'number', 'hash']).where('id', '=', id).executeTakeFirst();
}

export async function insertVersion(db: Conn, row: Omit<NewDraftVersion, 'number'>): Promise<number> {
	const last = await db
		.selectFrom('draft_versions')
		.select((eb) => eb.fn.max('number').as('n'))
		.where('draft_id', '=', row.draft_id)
		.executeTakeFirst();
	const number = Number(last?.n ?? 0) + 1;
	await db
		.insertInto('draft_versions')
		.values({ ...row, number })
		.execute();
	return number;
}

/** A version's row (without its content) with its author's name and status. */
export type VersionWithAuthor = Awaited<ReturnType<typeof listVersions>>[number];

/** Part of a draft's versions: up to `limit` after the version numbered `after` (the API's cursor). */
export interface VersionsPage {
	after?: number;
	limit?: number;
}

/** A draft's versions, newest first: all of them, or a page. */
export function listVersions(db: Conn, draftId: number, page: VersionsPage = {}) {
	return db
		.selectFrom('draft_versions as v')
		.leftJoin('users as u', 'u.id', 'v.created_by')
		.select(['v.id', 'v.number', 'v.name', 'v.hash', 'v.auto', 'v.created_at', 'v.created_by', 'u.display_name as author_name', 'u.status as author_status'])
		.where('v.draft_id', '=', draftId)
		.$if(page.after !== undefined, (q) => q.where('v.number', '<', page.after!))
		.orderBy('v.number', 'desc')
		.$if(page.limit !== undefined, (q) => q.limit(page.limit!))
		.execute();
}

export function findVersion(db: Conn, draftId: number, number: number) {
	return db.selectFrom('draft_versions').selectAll().where('draft_id', '=', draftId).where('number', '=', number).executeTakeFirst();
}

export function latestVersion(db: Conn, draftId: number) {
	return db.selectFrom('draft_versions').selectAll().where('draft_id', '=', draftId).orderBy('number', 'desc').limit(1).executeTakeFirst();
}

export async function insertComment(db: Conn, row: NewDraftComment): Promise<number> {
	const r = await db.insertInto('draft_comments').values(row).returning('id').executeTakeFirstOrThrow();
	return r.id;
}

/** A comment's row with its author's name and status. */
export type CommentWithAuthor = Awaited<ReturnType<typeof listComments>>[number];

export function listComments(db: Conn, draftId: number) {
	return db
		.selectFrom('draft_comments as c')
		.innerJoin('users as u', 'u.id', 'c.author_id')
		.selectAll('c')
		.select(['u.display_name as author_name', 'u.status as author_status'])
		.where('c.draft_id', '=', draftId)
		.orderBy('c.id')
		.execute();
}

export function findComment(db: Conn, id: number) {
	return db.selectFrom('draft_comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setCommentResolved(db: Conn, id: number, by: number | null, at: number | null): Promise<void> {
	await db.updateTable('draft_comments').set({ resolved_at: at, resolved_by: by }).where('id', '=', id).execute();
}

export async function insertAmendment(db: Conn, row: NewAmendment): Promise<number> {
	const r = await db.insertInto('amendments').values(row).returning('id').executeTakeFirstOrThrow();
	return r.id;
}

/** An amendment's row with its author's name and status and its version's number and hash. */
export type AmendmentWithAuthor = Awaited<ReturnType<typeof listAmendments>>[number];

export function listAmendments(db: Conn, draftId: number) {
	return db
		.selectFrom('amendments as a')
		.innerJoin('users as u', 'u.id', 'a.author_id')
		.innerJoin('draft_versions as v', 'v.id', 'a.version_id')
		.selectAll('a')
		.select(['u.display_name as author_name', 'u.status as author_status', 'v.number as version_number', 'v.hash as version_hash'])
		.where('a.draft_id', '=', draftId)
		.orderBy('a.id')
		.execute();
}

/** The votes (not cancelled) that decide a draft's amendments, alone or between alternatives: amendment → latest vote. */
export async function amendmentVotes(db: Conn, draftId: number): Promise<Map<number, number>> {
	const alone = db.selectFrom('votes as v').innerJoin('amendments as a', 'a.id', 'v.amendment_id').select(['a.id as amendment_id', 'v.id as vote_id']).where('a.draft_id', '=', draftId).where('v.status', '<>', 'cancelled');
	const between = db
		.selectFrom('vote_amendments as va')
		.innerJoin('votes as v', 'v.id', 'va.vote_id')
		.innerJoin('amendments as a', 'a.id', 'va.amendment_id')
		.select(['a.id as amendment_id', 'v.id as vote_id'])
		.where('a.draft_id', '=', draftId)
		.where('v.status', '<>', 'cancelled');
	const rows = await alone.union(between).execute();
	const map = new Map<number, number>();
	for (const r of rows) map.set(r.amendment_id, Math.max(map.get(r.amendment_id) ?? 0, r.vote_id));
	return map;
}

export function findAmendment(db: Conn, id: number) {
	return db.selectFrom('amendments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a proposed amendment (adopted, rejected, withdrawn), once: false when it was no longer proposed. */
export async function decideAmendment(db: Conn, id: number, status: Exclude<AmendmentStatus, 'proposed'>, now: number): Promise<boolean> {
	const r = await db.updateTable('amendments').set({ status, decided_at: now }).where('id', '=', id).where('status', '=', 'proposed').executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** The groups a person belongs to (all groups for coordinators), for choosing where a draft lives; archived ones are
 * not offered. */
export function groupsFor(db: Conn, userId: number, all: boolean) {
	return db
		.selectFrom('groups as g')
		.select(['g.slug', 'g.name'])
		.where('g.archived_at', 'is', null)
		.$if(!all, (q) => q.where('g.id', 'in', (eb) => eb.selectFrom('group_members').select('group_id').where('user_id', '=', userId)))
		.orderBy('g.name')
		.execute();
}
