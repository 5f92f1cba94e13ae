import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { ListedThreads } from './forum.repository.js';

/** What a space's counters hold of threads a reader's lists leave out. */
export interface Unlisted {
	threads: number;
	posts: number;
	lastPostAt: number;
}

/**
 * Per space of `categoryIds`, the threads (and their posts and latest activity) that `shown` leaves out: hidden
 * ones, members-only ones. Few threads are either, and the partial index `threads_unlisted` holds only those.
 */
export async function unlistedTotals(db: Kysely<Database>, categoryIds: number[], shown: ListedThreads): Promise<Map<number, Unlisted>> {
	if (!categoryIds.length || (shown.hidden && shown.membersOnly)) return new Map();
	const rows = await db
		.selectFrom('threads')
		.select((eb) => ['category_id', eb.fn.countAll<number>().as('threads'), eb.fn.sum<number>('post_count').as('posts'), eb.fn.max('last_post_at').as('last_post_at')])
		.where('category_id', 'in', categoryIds)
		// Literals, not parameters: a partial index serves only a query whose WHERE implies its own, as written.
		.where((eb) => eb.or([...(shown.hidden ? [] : [eb('hidden', '=', eb.lit(1))]), ...(shown.membersOnly ? [] : [eb('members_only', '=', eb.lit(1))])]))
		.groupBy('category_id')
		.execute();
	return new Map(rows.map((r) => [r.category_id, { threads: Number(r.threads), posts: Number(r.posts), lastPostAt: Number(r.last_post_at) }]));
}

/** The latest activity among the threads of a space that `shown` lists; null when it lists none. */
export async function latestListed(db: Kysely<Database>, categoryId: number, shown: ListedThreads): Promise<number | null> {
	const row = await db
		.selectFrom('threads')
		.select((eb) => eb.fn.max('last_post_at').as('at'))
		.where('category_id', '=', categoryId)
		.$if(!shown.hidden, (q) => q.where('hidden', '=', 0))
		.$if(!shown.membersOnly, (q) => q.where('members_only', '=', 0))
		.executeTakeFirst();
	return row?.at == null ? null : Number(row.at);
}
