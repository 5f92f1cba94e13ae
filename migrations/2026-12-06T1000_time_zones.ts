import type { Kysely } from 'kysely';

/** A member's time zone (IANA name); null: the browser's, else the network's (issue #17 point 2). */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('users').addColumn('time_zone', 'text').execute();
}
