import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.js';
import { prepared } from '../prepared.js';
import { flag, jsonIntegers } from '../dialect/sql.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface Recipient {
	id: number;
	email: string;
	display_name: string;
	locale: 'sq' | 'en' | 'el';
	role: 'member' | 'moderator' | 'coordinator';
	status: 'applicant' | 'active' | 'suspended' | 'deleted';
	notify_in_app: number;
	notify_email: 'now' | 'digest' | 'off';
}

export function recipients(db: Conn, ids: number[]): Promise<Recipient[]> {
	if (!ids.length) return Promise.resolve([]);
	return db
		.selectFrom('users')
		.select(['id', 'email', 'display_name', 'locale', 'role', 'status', 'notify_in_app', 'notify_email'])
		.where('id', 'in', ids)
		.execute();
}

/** A recipient of a new post, and whether they are a member of the post's group (0 outside group spaces). */
export interface PostRecipient extends Recipient {
	in_group: number;
}

// Compiled once (see prepared.ts), as they run on every reply. The people named come as one JSON array, so that
// the SQL text does not change with how many there are.
const recipientsOfPost = prepared((db, p: { ids: string; threadId: number; authorId: number; groupId: number | null }) =>
	sql<PostRecipient>`
		select u.id, u.email, u.display_name, u.locale, u.role, u.status, u.notify_in_app, u.notify_email,
			${flag(db, sql`exists (select 1 from group_members m where m.user_id = u.id and m.group_id = ${p.groupId})`)} as in_group
		from users u
		where u.id in (${jsonIntegers(db, p.ids)} union select user_id from thread_subscriptions where thread_id = ${p.threadId})
			and u.id <> ${p.authorId}
		order by u.id`.compile(db)
);

/**
 * Who hears of a new post: the people named (mentioned, or the author of the post replied to) and the thread's
 * subscribers, never its author; in one query with what deciding needs (settings, membership of `groupId`).
 */
export async function recipientsOfNewPost(db: Conn, post: { ids: number[]; threadId: number; authorId: number; groupId: number | null }): Promise<PostRecipient[]> {
	return (await recipientsOfPost(db, { ids: JSON.stringify(post.ids), threadId: post.threadId, authorId: post.authorId, groupId: post.groupId })).rows;
}

type NewNotification = { user_id: number; kind: 'mention' | 'reply'; actor_id: number; thread_id: number; post_id: number; created_at: number; emailed_at: number | null };
const insertNotificationRow = prepared((db, p: NewNotification) =>
	db
		.insertInto('notifications')
		.values({ user_id: p.user_id, kind: p.kind, actor_id: p.actor_id, thread_id: p.thread_id, post_id: p.post_id, created_at: p.created_at, emailed_at: p.emailed_at })
		.compile()
);

export async function insertNotification(db: Conn, row: NewNotification): Promise<void> {
	await insertNotificationRow(db, row);
}

export type VoteNoticeKind = 'proxy_used' | 'election_cancelled';

/**
 * A notice about a vote on the bell, mailed apart (never in a digest): a giver's proxy was used in it (by the actor),
 * or the election its caller called was cancelled by the schedule (no actor).
 */
export async function insertVoteNotice(db: Conn, row: { user_id: number; kind: VoteNoticeKind; actor_id: number | null; vote_id: number; created_at: number }): Promise<void> {
	await db.insertInto('notifications').values({ ...row, emailed_at: row.created_at }).execute();
}

/** Who called a vote, as a recipient, with the vote's title. */
export function callerOfVote(db: Conn, voteId: number): Promise<(Recipient & { title: string }) | undefined> {
	return db
		.selectFrom('votes as v')
		.innerJoin('users as u', 'u.id', 'v.created_by')
		.select(['u.id', 'u.email', 'u.display_name', 'u.locale', 'u.role', 'u.status', 'u.notify_in_app', 'u.notify_email', 'v.title'])
		.where('v.id', '=', voteId)
		.executeTakeFirst();
}

export type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];

export function listNotifications(db: Conn, userId: number, limit = 50) {
	return db
		.selectFrom('notifications as n')
		.leftJoin('users as a', 'a.id', 'n.actor_id')
		.leftJoin('threads as t', 't.id', 'n.thread_id')
		.leftJoin('votes as v', 'v.id', 'n.vote_id')
		.select(['n.id', 'n.kind', 'n.thread_id', 'n.post_id', 'n.vote_id', 'n.created_at', 'n.read_at', 'a.id as actor_id', 'a.display_name as actor_name', 'a.status as actor_status', 't.title as thread_title', 'v.title as vote_title'])
		.where('n.user_id', '=', userId)
		.orderBy('n.id', 'desc')
		.limit(limit)
		.execute();
}

export async function unreadCount(db: Conn, userId: number): Promise<number> {
	const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function markAllRead(db: Conn, userId: number, now: number): Promise<void> {
	await db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

export async function markThreadRead(db: Conn, userId: number, threadId: number, now: number): Promise<number> {
	const res = await db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('thread_id', '=', threadId).where('read_at', 'is', null).executeTakeFirst();
	return Number(res.numUpdatedRows);
}

/** Members due a daily digest: digest chosen, unmailed notifications, no digest in the last day. */
export function digestDue(db: Conn, before: number) {
	return db
		.selectFrom('users as u')
		.innerJoin('notifications as n', 'n.user_id', 'u.id')
		.select(['u.id', 'u.email', 'u.display_name', 'u.locale'])
		.where('u.status', '=', 'active')
		.where('u.notify_email', '=', 'digest')
		.where('n.emailed_at', 'is', null)
		.where('n.read_at', 'is', null)
		.where((eb) => eb.or([eb('u.last_digest_at', 'is', null), eb('u.last_digest_at', '<=', before)]))
		.groupBy('u.id')
		.execute();
}

export function unmailedFor(db: Conn, userId: number) {
	return db
		.selectFrom('notifications as n')
		.leftJoin('users as a', 'a.id', 'n.actor_id')
		.leftJoin('threads as t', 't.id', 'n.thread_id')
		.select(['n.id', 'n.kind', 'n.thread_id', 'a.display_name as actor_name', 'a.status as actor_status', 't.title as thread_title'])
		.where('n.user_id', '=', userId)
		// Notices about votes are mailed on their own (written as mailed): never in a digest.
		.where('n.kind', 'in', ['mention', 'reply'])
		.$narrowType<{ kind: 'mention' | 'reply' }>()
		.where('n.emailed_at', 'is', null)
		.where('n.read_at', 'is', null)
		.orderBy('n.id')
		.execute();
}

export async function markDigestSent(db: Conn, userId: number, now: number): Promise<void> {
	await db.updateTable('users').set({ last_digest_at: now }).where('id', '=', userId).execute();
}

export async function markEmailed(db: Conn, ids: number[], now: number): Promise<void> {
	if (ids.length) await db.updateTable('notifications').set({ emailed_at: now }).where('id', 'in', ids).execute();
}
