import type { Kysely, Transaction } from 'kysely';
import type { Database, NewUser, UserRow, UserUpdate } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export function findUserByEmail(db: Conn, email: string): Promise<UserRow | undefined> {
	return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Conn, id: number): Promise<UserRow | undefined> {
	return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Conn, user: NewUser): Promise<number> {
	const row = await db
		.insertInto('users')
		.values({ ...user, email: user.email.trim().toLowerCase() })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function updateUser(db: Conn, id: number, patch: UserUpdate): Promise<void> {
	await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export interface DirectoryRow {
	id: number;
	display_name: string;
	city: string | null;
	role: UserRow['role'];
	organisations: string | null;
}

/** Active members with their organisations' names joined by a unit separator, ordered by name. */
export function listActiveMembers(db: Conn): Promise<DirectoryRow[]> {
	return db
		.selectFrom('users')
		.leftJoin('organisation_representatives as r', 'r.user_id', 'users.id')
		.leftJoin('organisations as o', 'o.id', 'r.organisation_id')
		.select((eb) => [
			'users.id',
			'users.display_name',
			'users.city',
			'users.role',
			eb.fn<string | null>('group_concat', ['o.name', eb.val('\u001f')]).as('organisations')
		])
		.where('users.status', '=', 'active')
		.groupBy('users.id')
		.orderBy('users.display_name')
		.execute();
}
