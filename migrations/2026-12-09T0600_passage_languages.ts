import type { Kysely } from 'kysely';

/**
 * Comments and amendments know the language of the text they are anchored in (issue #19, point 6): `lang` is the
 * translation (`draft-lang:<draft>-<lang>`) their anchors point into, or null for the source text. Null rather than
 * the source's code: a draft's source language is fixed only when its first translation is added, so a comment made
 * before then could not name it, and every row written before this migration is on the source text already.
 * A reply's `lang` is its thread's. Amendments are made on the source text only (it is the authoritative one; a
 * translation follows it through its outdated paragraphs), so theirs is null today; the column says so in the row.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('draft_comments').addColumn('lang', 'text').execute();
	await db.schema.alterTable('amendments').addColumn('lang', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('amendments').dropColumn('lang').execute();
	await db.schema.alterTable('draft_comments').dropColumn('lang').execute();
}
