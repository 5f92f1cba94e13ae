import type { Kysely } from 'kysely';

/**
 * A thread's own floor of visibility: `members_only` = 1 keeps a thread among active members whoever may read its
 * space (server/domain/forum.ts, canReadThread). A members-only draft's debate thread (and so a meeting's minutes')
 * is opened in a field's space, which may be public or made public later: the thread carries the draft's
 * visibility, and DraftsService keeps it in step when the draft's visibility changes. The threads of existing
 * members-only drafts take the floor now.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('threads').addColumn('members_only', 'integer', (c) => c.notNull().defaultTo(0)).execute();
	await db
		.updateTable('threads')
		.set({ members_only: 1 })
		.where('id', 'in', db.selectFrom('drafts').select('thread_id').where('visibility', '=', 'members').where('thread_id', 'is not', null))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('threads').dropColumn('members_only').execute();
}
