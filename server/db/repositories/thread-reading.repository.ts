import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import { prepared } from '../prepared.js';
import { greatest } from '../dialect/sql.js';

// A thread's followers and each member's read mark (re-exported by forum.repository).
type Conn = Kysely<Database> | Transaction<Database>;

export async function subscribe(db: Conn, threadId: number, userId: number, on: boolean): Promise<void> {
	if (on) await db.insertInto('thread_subscriptions').values({ thread_id: threadId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
	else await db.deleteFrom('thread_subscriptions').where('thread_id', '=', threadId).where('user_id', '=', userId).execute();
}

export async function isSubscribed(db: Conn, threadId: number, userId: number): Promise<boolean> {
	return !!(await db.selectFrom('thread_subscriptions').select('user_id').where('thread_id', '=', threadId).where('user_id', '=', userId).executeTakeFirst());
}

export async function lastRead(db: Conn, threadId: number, userId: number): Promise<number> {
	const row = await db.selectFrom('thread_reads').select('last_read_post_id').where('thread_id', '=', threadId).where('user_id', '=', userId).executeTakeFirst();
	return row?.last_read_post_id ?? 0;
}

const upsertRead = prepared((db, p: { threadId: number; userId: number; postId: number; now: number }) =>
	db
		.insertInto('thread_reads')
		.values({ thread_id: p.threadId, user_id: p.userId, last_read_post_id: p.postId, read_at: p.now })
		.onConflict((oc) =>
			oc.columns(['thread_id', 'user_id']).doUpdateSet((eb) => ({
				last_read_post_id: greatest(db, eb.ref('thread_reads.last_read_post_id'), eb.ref('excluded.last_read_post_id')),
				read_at: eb.ref('excluded.read_at')
			}))
		)
		.compile()
);

/** Moves the read mark forward (never back). */
export async function markRead(db: Conn, threadId: number, userId: number, postId: number, now: number): Promise<void> {
	await upsertRead(db, { threadId, userId, postId, now });
}
