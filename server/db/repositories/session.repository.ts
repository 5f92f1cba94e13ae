import type { Kysely, Transaction } from 'kysely';
import type { Database, NewSession, SessionRow, UserRow } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export async function insertSession(db: Conn, session: NewSession): Promise<void> {
	await db.insertInto('sessions').values(session).execute();
}

export interface SessionWithUser {
	session: SessionRow;
	user: UserRow;
}

export async function findSessionWithUser(db: Conn, id: string): Promise<SessionWithUser | undefined> {
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id as s_id',
			'sessions.user_id as s_user_id',
			'sessions.created_at as s_created_at',
			'sessions.last_seen_at as s_last_seen_at',
			'sessions.expires_at as s_expires_at',
			'sessions.absolute_expires_at as s_absolute_expires_at',
			'sessions.user_agent as s_user_agent',
			'sessions.ip as s_ip'
		])
		.selectAll('users')
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	const { s_id, s_user_id, s_created_at, s_last_seen_at, s_expires_at, s_absolute_expires_at, s_user_agent, s_ip, ...user } =
		row;
	return {
		session: {
			id: s_id,
			user_id: s_user_id,
			created_at: s_created_at,
			last_seen_at: s_last_seen_at,
			expires_at: s_expires_at,
			absolute_expires_at: s_absolute_expires_at,
			user_agent: s_user_agent,
			ip: s_ip
		},
		user
	};
}

export async function touchSession(db: Conn, id: string, now: number, expiresAt: number): Promise<void> {
	await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Conn, id: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes a member's sessions, optionally keeping one; returns the ids deleted. */
export async function deleteUserSessions(db: Conn, userId: number, keepId?: string): Promise<string[]> {
	let q = db.deleteFrom('sessions').where('user_id', '=', userId);
	if (keepId) q = q.where('id', '!=', keepId);
	const rows = await q.returning('id').execute();
	return rows.map((r) => r.id);
}

export function listUserSessions(db: Conn, userId: number, now: number): Promise<SessionRow[]> {
	return db
		.selectFrom('sessions')
		.selectAll()
		.where('user_id', '=', userId)
		.where('expires_at', '>', now)
		.where('absolute_expires_at', '>', now)
		.orderBy('last_seen_at', 'desc')
		.execute();
}

export async function deleteExpiredSessions(db: Conn, now: number): Promise<number> {
	const res = await db
		.deleteFrom('sessions')
		.where((eb) => eb.or([eb('expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
		.executeTakeFirst();
	return Number(res.numDeletedRows);
}
