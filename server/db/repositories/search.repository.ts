import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.js';
import { flag } from '../dialect/sql.js';
import { dialectOf } from '../dialect/index.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface SearchScope {
	/** Active member: sees members-only categories. */
	member: boolean;
	/** Sees members-only threads (a thread's own floor, server/domain/forum.ts) wherever they are. */
	membersOnlyThreads: boolean;
	/** Moderator or coordinator: sees every group space. */
	allGroups: boolean;
	groupIds: number[];
	category?: string;
	authorId?: number;
	from?: number;
	to?: number;
}

export interface SearchRow {
	post_id: number;
	thread_id: number;
	category_id: number;
	title: string;
	author_id: number;
	author_name: string;
	author_status: string;
	created_at: number;
	is_opening: number;
	/** The thread's tags, as stored (a JSON array). */
	tags: string;
}

/** The bodies of a page of hits: fetched after ranking, so the sort never carries post texts. */
export async function bodiesOf(db: Conn, postIds: number[]): Promise<Map<number, string>> {
	if (!postIds.length) return new Map();
	const rows = await db.selectFrom('posts').select(['id', 'body']).where('id', 'in', postIds).execute();
	return new Map(rows.map((r) => [r.id, r.body]));
}

/*
 * The search index differs per dialect, and only here (and in its migration): on SQLite an FTS5 table queried with
 * MATCH and ranked by bm25; on PostgreSQL a table with a tsvector column (titles weighted A, bodies D) and a GIN
 * index, queried with @@ and ranked by ts_rank. Both hold the same folded text; `match` is the FTS5 query the domain
 * builds (ftsQuery: every term quoted, a prefix), which PostgreSQL reads as the same prefix terms, all required.
 */

/** An FTS5 query of quoted prefix terms ("t"* "u"*) as the PostgreSQL tsquery text meaning the same (t:* & u:*). */
export function tsQueryOf(match: string): string {
	// The terms are folded letters and digits only (queryTerms), so nothing in them is tsquery syntax.
	const terms = [...match.matchAll(/"([^"]+)"\*/g)].map((m) => `${m[1].replace(/[^\p{L}\p{N}]/gu, '')}:*`).filter((t) => t !== ':*');
	return terms.join(' & ');
}

function matches(db: Conn, match: string) {
	return dialectOf(db) === 'postgres' ? sql`document @@ to_tsquery('simple', ${tsQueryOf(match)})` : sql`search_index match ${match}`;
}

/** How many posts match, counting no further than `cap`. */
export async function countMatches(db: Conn, match: string, cap: number): Promise<number> {
	const row = await sql<{ n: number }>`select count(*) as n from (select 1 from search_index where ${matches(db, match)} limit ${cap}) as m`.execute(db);
	return Number(row.rows[0]?.n ?? 0);
}

/**
 * Post ids by rank alone (titles weigh more than bodies), before any visibility filter. With `candidates`, only
 * the newest that many matches are ranked: for a very common word, ranking every match would cost more than the
 * search is worth (see SearchService).
 */
export async function rankedIds(db: Conn, match: string, candidates: number | null, limit: number): Promise<number[]> {
	const newest = candidates
		? sql`and rowid >= coalesce((select rowid from search_index where ${matches(db, match)} order by rowid desc limit 1 offset ${candidates - 1}), 0)`
		: sql``;
	// Titles weigh four times bodies on both: bm25's column weights; ts_rank's weights for D (bodies) and A (titles).
	const rank =
		dialectOf(db) === 'postgres'
			? sql`ts_rank('{0.25, 0, 0, 1}', document, to_tsquery('simple', ${tsQueryOf(match)})) desc`
			: sql`bm25(search_index, 4.0, 1.0)`;
	const rows = await sql<{ rowid: number }>`
		select rowid from search_index
		where ${matches(db, match)} ${newest}
		order by ${rank}, rowid desc
		limit ${limit}`.execute(db);
	return rows.rows.map((r) => r.rowid);
}

/**
 * Which of the given posts the reader may see, with what a hit shows; `scope`'s filters apply too. Unordered: the
 * caller keeps the rank order it got from rankedIds.
 */
export function visibleAmong(db: Conn, ids: number[], scope: SearchScope): Promise<SearchRow[]> {
	if (!ids.length) return Promise.resolve([]);
	const groups = scope.groupIds.length ? scope.groupIds : [-1];
	return db
		.selectFrom('posts as p')
		.innerJoin('threads as t', 't.id', 'p.thread_id')
		.innerJoin('categories as c', 'c.id', 't.category_id')
		.innerJoin('users as u', 'u.id', 'p.author_id')
		.select([
			'p.id as post_id',
			't.id as thread_id',
			'c.id as category_id',
			't.title',
			't.tags',
			'p.author_id',
			'u.display_name as author_name',
			'u.status as author_status',
			'p.created_at',
			flag(db, sql`p.parent_id is null`).as('is_opening')
		])
		.where('p.id', 'in', ids)
		.where('p.deleted_at', 'is', null)
		.where('p.hidden_at', 'is', null)
		.where('t.hidden', '=', 0)
		.$if(!scope.membersOnlyThreads, (q) => q.where('t.members_only', '=', 0))
		.where((eb) =>
			eb.or([
				eb('c.visibility', '=', 'public'),
				...(scope.member ? [eb('c.visibility', '=', 'members')] : []),
				...(scope.member && scope.allGroups ? [eb('c.visibility', '=', 'group')] : []),
				...(scope.member ? [eb.and([eb('c.visibility', '=', 'group'), eb('c.group_id', 'in', groups)])] : [])
			])
		)
		.$if(!!scope.category, (q) => q.where('c.slug', '=', scope.category!))
		.$if(scope.authorId !== undefined, (q) => q.where('p.author_id', '=', scope.authorId!))
		.$if(scope.from !== undefined, (q) => q.where('p.created_at', '>=', scope.from!))
		.$if(scope.to !== undefined, (q) => q.where('p.created_at', '<', scope.to!))
		.execute();
}
