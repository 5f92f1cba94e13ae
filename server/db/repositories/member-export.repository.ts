import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * A member's own writing, a page at a time in key order: `after` is the last key of the previous page. Keyset pages
 * keep each query short however much a member wrote, and never skip or repeat a row that another page already had.
 */

export function postsPage(db: Conn, userId: number, after: number, limit: number) {
	return db
		.selectFrom('posts as p')
		.innerJoin('threads as t', 't.id', 'p.thread_id')
		.select(['p.id', 'p.thread_id', 't.title as thread_title', 'p.parent_id', 'p.body', 'p.created_at', 'p.edited_at', 'p.deleted_at', 'p.hidden_at'])
		.where('p.author_id', '=', userId)
		.where('p.id', '>', after)
		.orderBy('p.id')
		.limit(limit)
		.execute();
}

/** Earlier texts of the member's posts (an edit by a moderator keeps what the member wrote before it too). */
export function postRevisionsPage(db: Conn, userId: number, after: number, limit: number) {
	return db
		.selectFrom('post_revisions as r')
		.innerJoin('posts as p', 'p.id', 'r.post_id')
		.select(['r.id', 'r.post_id', 'r.body', 'r.created_at', 'r.editor_id'])
		.where('p.author_id', '=', userId)
		.where('r.id', '>', after)
		.orderBy('r.id')
		.limit(limit)
		.execute();
}

export function draftCommentsPage(db: Conn, userId: number, after: number, limit: number) {
	return db
		.selectFrom('draft_comments as c')
		.innerJoin('drafts as d', 'd.id', 'c.draft_id')
		.select(['c.id', 'c.draft_id', 'd.title as draft_title', 'c.parent_id', 'c.lang', 'c.quote', 'c.body', 'c.created_at', 'c.resolved_at'])
		.where('c.author_id', '=', userId)
		.where('c.id', '>', after)
		.orderBy('c.id')
		.limit(limit)
		.execute();
}

export function amendmentsPage(db: Conn, userId: number, after: number, limit: number) {
	return db
		.selectFrom('amendments as a')
		.innerJoin('drafts as d', 'd.id', 'a.draft_id')
		.select(['a.id', 'a.draft_id', 'd.title as draft_title', 'a.original', 'a.replacement', 'a.reason', 'a.status', 'a.created_at', 'a.decided_at'])
		.where('a.author_id', '=', userId)
		.where('a.id', '>', after)
		.orderBy('a.id')
		.limit(limit)
		.execute();
}

/** Reactions have no id of their own: their key is (post, emoji), one per member. */
export function reactionsPage(db: Conn, userId: number, after: { postId: number; emoji: string } | null, limit: number) {
	let query = db
		.selectFrom('reactions as r')
		.innerJoin('posts as p', 'p.id', 'r.post_id')
		.innerJoin('threads as t', 't.id', 'p.thread_id')
		.select(['r.post_id', 'p.thread_id', 't.title as thread_title', 'r.emoji', 'r.created_at'])
		.where('r.user_id', '=', userId);
	if (after) query = query.where((eb) => eb.or([eb('r.post_id', '>', after.postId), eb.and([eb('r.post_id', '=', after.postId), eb('r.emoji', '>', after.emoji)])]));
	return query.orderBy('r.post_id').orderBy('r.emoji').limit(limit).execute();
}

/**
 * The member's ballots in open votes, found by the member's own voting unit. A secret ballot carries no unit (see
 * its migration), and the vote's secrecy is checked as well: nothing here can reach one.
 */
export function openBallotsPage(db: Conn, unit: string, after: number, limit: number) {
	return db
		.selectFrom('vote_ballots as b')
		.innerJoin('votes as v', 'v.id', 'b.vote_id')
		.select(['b.vote_id', 'v.title as vote_title', 'v.method', 'v.options', 'v.status', 'b.receipt', 'b.choice'])
		.where('b.unit', '=', unit)
		.where('v.secret', '=', 0)
		.where('b.vote_id', '>', after)
		.orderBy('b.vote_id')
		.limit(limit)
		.execute();
}
