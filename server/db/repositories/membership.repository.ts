import type { Kysely, Transaction } from 'kysely';
import type { Database, JoinRequestRow } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertJoinRequest(
	db: Conn,
	row: Omit<JoinRequestRow, 'id' | 'status' | 'reason' | 'reviewed_by' | 'reviewed_at' | 'organisation_id'>
): Promise<number> {
	return (await db.insertInto('join_requests').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export interface JoinRequestWithApplicant extends JoinRequestRow {
	display_name: string;
	email: string;
	locale: 'sq' | 'en' | 'el';
}

const withApplicant = (db: Conn) =>
	db
		.selectFrom('join_requests')
		.innerJoin('users', 'users.id', 'join_requests.user_id')
		.selectAll('join_requests')
		.select(['users.display_name', 'users.email', 'users.locale']);

export function findJoinRequest(db: Conn, id: number): Promise<JoinRequestWithApplicant | undefined> {
	return withApplicant(db).where('join_requests.id', '=', id).executeTakeFirst();
}

export function latestJoinRequestOf(db: Conn, userId: number): Promise<JoinRequestRow | undefined> {
	return db.selectFrom('join_requests').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function listJoinRequests(db: Conn, status: JoinRequestRow['status']): Promise<JoinRequestWithApplicant[]> {
	return withApplicant(db).where('join_requests.status', '=', status).orderBy('join_requests.created_at').limit(200).execute();
}

export async function decideJoinRequest(
	db: Conn,
	id: number,
	decision: { status: 'approved' | 'rejected'; reason: string | null; reviewed_by: number; reviewed_at: number; organisation_id: number | null }
): Promise<boolean> {
	const res = await db.updateTable('join_requests').set(decision).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

export async function insertAudit(
	db: Conn,
	entry: { actor_id: number | null; action: string; subject_type: string; subject_id: string; data?: object; created_at: number }
): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({ ...entry, data: JSON.stringify(entry.data ?? {}) })
		.execute();
}

export function listAudit(db: Conn, limit = 100) {
	return db
		.selectFrom('audit_log')
		.leftJoin('users', 'users.id', 'audit_log.actor_id')
		.select(['audit_log.id', 'audit_log.actor_id', 'audit_log.action', 'audit_log.subject_type', 'audit_log.subject_id', 'audit_log.data', 'audit_log.created_at', 'users.display_name as actor_name'])
		.orderBy('audit_log.id', 'desc')
		.limit(limit)
		.execute();
}
