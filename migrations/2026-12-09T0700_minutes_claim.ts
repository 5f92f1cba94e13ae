import type { Kysely } from 'kysely';

/**
 * `meetings.minutes_claimed_at`: when a chair began putting the minutes to approval, set once by that put (the claim
 * that makes two chairs putting them at once one put: the other is told they were put already), cleared if the put
 * fails. A claim left by a node that stopped midway may be taken again after a while (see MinutesApproval).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('meetings').addColumn('minutes_claimed_at', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('meetings').dropColumn('minutes_claimed_at').execute();
}
