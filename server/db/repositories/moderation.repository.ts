import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertFlag(db: Conn, row: { post_id: number; reporter_id: number; reason: string; created_at: number }): Promise<void> {
	await db.insertInto('flags').values(row).execute();
}

export function openFlags(db: Conn) {
	return db
		.selectFrom('flags as f')
		.innerJoin('posts as p', 'p.id', 'f.post_id')
		.innerJoin('threads as t', 't.id', 'p.thread_id')
		.innerJoin('users as r', 'r.id', 'f.reporter_id')
		.innerJoin('users as a', 'a.id', 'p.author_id')
		.select([
			'f.id',
			'f.reason',
			'f.created_at',
			'p.id as post_id',
			'p.body',
			'p.hidden_at',
			'p.deleted_at',
			't.id as thread_id',
			't.title',
			'r.display_name as reporter_name',
			'a.display_name as author_name',
			'a.status as author_status'
		])
		.where('f.status', '=', 'open')
		.orderBy('f.created_at')
		.limit(200)
		.execute();
}

export async function resolveFlags(db: Conn, postId: number, moderatorId: number, now: number): Promise<void> {
	await db.updateTable('flags').set({ status: 'resolved', resolved_by: moderatorId, resolved_at: now }).where('post_id', '=', postId).where('status', '=', 'open').execute();
}

export async function logModeration(
	db: Conn,
	row: { moderator_id: number; action: string; thread_id: number | null; post_id: number | null; reason: string | null; created_at: number }
): Promise<void> {
	await db.insertInto('moderation_log').values(row).execute();
}

export function moderationLog(db: Conn, limit = 200) {
	return db
		.selectFrom('moderation_log as l')
		.leftJoin('users as m', 'm.id', 'l.moderator_id')
		.leftJoin('threads as t', 't.id', 'l.thread_id')
		.select(['l.id', 'l.action', 'l.thread_id', 'l.post_id', 'l.reason', 'l.created_at', 'm.display_name as moderator_name', 't.title'])
		.orderBy('l.id', 'desc')
		.limit(limit)
		.execute();
}
