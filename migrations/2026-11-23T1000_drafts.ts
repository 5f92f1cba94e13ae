import { sql, type Kysely } from 'kysely';
import { ddl } from './support/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
	// Collaborative documents (Yjs): an append-only log of updates, merged now and then into one state. Every update
	// is in the log before the server relays it to anyone (server/services/documents.service.ts).
	await db.schema
		.createTable('doc_states')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('state', 'blob', (c) => c.notNull())
		// The last update sequence number merged into it; the log continues from there.
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.execute();
	// Keyed by (document, sequence) without a rowid: one B-tree per append instead of a table and an index (an
	// append is the hot path of typing; measured 49 -> 30 µs).
	await ddl(
		db,
		`create table doc_updates (
		name text not null,
		seq integer not null,
		"update" blob not null,
		primary key (name, seq)
	) without rowid`
	).execute(db);
	// Stored updates that could not be applied: kept for a person to look at, never applied again.
	await db.schema
		.createTable('doc_quarantine')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('update', 'blob', (c) => c.notNull())
		.addColumn('error', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('drafts')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		// null: the whole network's draft.
		.addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('set null'))
		.addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public', 'members')`))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('drafting').check(sql`status in ('drafting', 'review', 'frozen', 'adopted', 'rejected', 'archived')`))
		.addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
		.addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('drafts_status').on('drafts').columns(['status', 'updated_at']).execute();

	await db.schema
		.createTable('draft_versions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('draft_id', 'integer', (c) => c.notNull().references('drafts.id').onDelete('cascade'))
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		// The Yjs state at that moment (to read it again exactly), its ProseMirror JSON and its plain text.
		.addColumn('state', 'blob', (c) => c.notNull())
		.addColumn('content', 'text', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('auto', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_by', 'integer', (c) => c.references('users.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addUniqueConstraint('draft_versions_number', ['draft_id', 'number'])
		.execute();

	await db.schema
		.createTable('draft_comments')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('draft_id', 'integer', (c) => c.notNull().references('drafts.id').onDelete('cascade'))
		.addColumn('parent_id', 'integer', (c) => c.references('draft_comments.id').onDelete('cascade'))
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		// Yjs relative positions (base64) of the passage's start and end, and the passage as it read then.
		.addColumn('anchor_start', 'text')
		.addColumn('anchor_end', 'text')
		.addColumn('quote', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('resolved_at', 'integer')
		.addColumn('resolved_by', 'integer', (c) => c.references('users.id'))
		.execute();
	await db.schema.createIndex('draft_comments_draft').on('draft_comments').columns(['draft_id', 'id']).execute();

	await db.schema
		.createTable('amendments')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('draft_id', 'integer', (c) => c.notNull().references('drafts.id').onDelete('cascade'))
		.addColumn('version_id', 'integer', (c) => c.notNull().references('draft_versions.id'))
		.addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
		.addColumn('anchor_start', 'text', (c) => c.notNull())
		.addColumn('anchor_end', 'text', (c) => c.notNull())
		.addColumn('original', 'text', (c) => c.notNull())
		.addColumn('replacement', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`status in ('proposed', 'withdrawn', 'adopted', 'rejected')`))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('decided_at', 'integer')
		.execute();
	await db.schema.createIndex('amendments_draft').on('amendments').columns(['draft_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['amendments', 'draft_comments', 'draft_versions', 'drafts', 'doc_quarantine', 'doc_updates', 'doc_states']) {
		await db.schema.dropTable(t).execute();
	}
}
