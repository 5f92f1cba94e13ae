import type { Kysely } from 'kysely';

/**
 * A draft in several languages (issue #19):
 * - `drafts.source_lang`: the language the draft is written in, fixed when its first translation is added (null: the
 *   network's primary language, which it then was).
 * - `draft_translations`: the languages a draft is translated into; each is its own co-edited document
 *   (`draft-lang:<draft>-<lang>`), aligned to the source by the block ids (`bid`) of their top-level blocks.
 * - `draft_translation_marks`: per translated block, the source paragraph it was last confirmed against (its hash,
 *   and its text for the word diff shown when the source has changed since).
 * - `draft_translation_versions`: the version of each translation taken beside a version of the source (when the
 *   draft is frozen), with its own hash and how many of its paragraphs were not up to date then.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('drafts').addColumn('source_lang', 'text').execute();
	await db.schema
		.createTable('draft_translations')
		.addColumn('draft_id', 'integer', (c) => c.notNull().references('drafts.id').onDelete('cascade'))
		.addColumn('lang', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('draft_translations_pk', ['draft_id', 'lang'])
		.execute();
	await db.schema
		.createTable('draft_translation_marks')
		.addColumn('draft_id', 'integer', (c) => c.notNull().references('drafts.id').onDelete('cascade'))
		.addColumn('lang', 'text', (c) => c.notNull())
		.addColumn('block_id', 'text', (c) => c.notNull())
		.addColumn('source_hash', 'text', (c) => c.notNull())
		.addColumn('source_text', 'text', (c) => c.notNull())
		.addColumn('confirmed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('confirmed_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('draft_translation_marks_pk', ['draft_id', 'lang', 'block_id'])
		.execute();
	await db.schema
		.createTable('draft_translation_versions')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('version_id', 'integer', (c) => c.notNull().references('draft_versions.id').onDelete('cascade'))
		.addColumn('lang', 'text', (c) => c.notNull())
		.addColumn('state', 'blob', (c) => c.notNull())
		.addColumn('content', 'text', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('outdated', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('draft_translation_versions_one').on('draft_translation_versions').columns(['version_id', 'lang']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('draft_translation_versions').execute();
	await db.schema.dropTable('draft_translation_marks').execute();
	await db.schema.dropTable('draft_translations').execute();
	await db.schema.alterTable('drafts').dropColumn('source_lang').execute();
}
