import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** Whether any active coordinator exists: while none does, the setup link is the way in. */
export async function hasActiveCoordinator(db: Conn): Promise<boolean> {
	const row = await db.selectFrom('users').select('id').where('role', '=', 'coordinator').where('status', '=', 'active').limit(1).executeTakeFirst();
	return !!row;
}

export async function insertSetupLink(db: Conn, row: { id: string; created_at: number; expires_at: number }): Promise<void> {
	await db.insertInto('setup_links').values({ ...row, used_at: null, user_id: null }).execute();
}

/** Voids every unused setup link (a newer one was printed); returns how many. */
export async function voidSetupLinks(db: Conn, now: number): Promise<number> {
	const res = await db.updateTable('setup_links').set({ used_at: now }).where('used_at', 'is', null).executeTakeFirst();
	return Number(res.numUpdatedRows);
}

export function findSetupLink(db: Conn, id: string) {
	return db.selectFrom('setup_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks an unused, unexpired link used by the coordinator it made; false when it was used, voided or expired. */
export async function consumeSetupLink(db: Conn, id: string, userId: number, now: number): Promise<boolean> {
	const res = await db
		.updateTable('setup_links')
		.set({ used_at: now, user_id: userId })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

export function findNetworkSetup(db: Conn) {
	return db.selectFrom('network_setup').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** Records that the day-one setup has begun (the first setup link was printed); a later call changes nothing. */
export async function startNetworkSetup(db: Conn, now: number): Promise<void> {
	await db.insertInto('network_setup').values({ id: 1, started_at: now, finished_at: null, finished_by: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Marks the setup finished; false when it was not started or already finished. */
export async function finishNetworkSetup(db: Conn, userId: number, now: number): Promise<boolean> {
	const res = await db.updateTable('network_setup').set({ finished_at: now, finished_by: userId }).where('id', '=', 1).where('finished_at', 'is', null).executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

/** What the setup steps are computed from. */
export interface SetupCounts {
	profile: boolean;
	fields: number;
	groups: number;
	pendingApplications: number;
	approvedApplications: number;
}

export async function setupCounts(db: Conn): Promise<SetupCounts> {
	const row = await db
		.selectNoFrom((eb) => [
			eb.selectFrom('network_profile').select(eb.fn.countAll<number>().as('n')).as('profile'),
			eb.selectFrom('fields_of_action').where('archived_at', 'is', null).where('merged_into', 'is', null).select(eb.fn.countAll<number>().as('n')).as('fields'),
			eb.selectFrom('groups').where('archived_at', 'is', null).select(eb.fn.countAll<number>().as('n')).as('groups'),
			eb.selectFrom('join_requests').where('status', '=', 'pending').select(eb.fn.countAll<number>().as('n')).as('pending'),
			eb.selectFrom('join_requests').where('status', '=', 'approved').select(eb.fn.countAll<number>().as('n')).as('approved')
		])
		.executeTakeFirstOrThrow();
	return { profile: Number(row.profile) > 0, fields: Number(row.fields), groups: Number(row.groups), pendingApplications: Number(row.pending), approvedApplications: Number(row.approved) };
}
