import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, NetworkProfileTable } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The profile row, or undefined before anyone wrote one. */
export function findNetworkProfile(db: Conn) {
	return db.selectFrom('network_profile').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** Writes the one profile row (created on the first save). */
export async function saveNetworkProfile(db: Conn, row: Omit<Insertable<NetworkProfileTable>, 'id'>): Promise<void> {
	await db
		.insertInto('network_profile')
		.values({ id: 1, ...row })
		.onConflict((oc) => oc.column('id').doUpdateSet(row))
		.execute();
}
