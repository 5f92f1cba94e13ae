import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';

type Conn = Kysely<Database> | Transaction<Database>;

export function sourceLang(db: Conn, draftId: number) {
	return db.selectFrom('drafts').select('source_lang').where('id', '=', draftId).executeTakeFirst();
}

/** Fixes the draft's source language when none was fixed yet; the language it has after. */
export async function fixSourceLang(db: Conn, draftId: number, lang: string): Promise<string> {
	await db.updateTable('drafts').set({ source_lang: lang }).where('id', '=', draftId).where('source_lang', 'is', null).execute();
	return (await sourceLang(db, draftId))?.source_lang ?? lang;
}

export async function listTranslations(db: Conn, draftId: number): Promise<string[]> {
	const rows = await db.selectFrom('draft_translations').select('lang').where('draft_id', '=', draftId).orderBy('created_at').orderBy('lang').execute();
	return rows.map((r) => r.lang);
}

/** Adds a translation; false when the draft already had it. */
export async function insertTranslation(db: Conn, row: { draft_id: number; lang: string; created_by: number; created_at: number }): Promise<boolean> {
	const result = await db.insertInto('draft_translations').values(row).onConflict((oc) => oc.columns(['draft_id', 'lang']).doNothing()).executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Block id → the source text it was confirmed against, for one translation. */
export async function confirmations(db: Conn, draftId: number, lang: string): Promise<Map<string, string>> {
	const rows = await db.selectFrom('draft_translation_marks').select(['block_id', 'source_text']).where('draft_id', '=', draftId).where('lang', '=', lang).execute();
	return new Map(rows.map((r) => [r.block_id, r.source_text]));
}

export async function confirm(
	db: Conn,
	row: { draft_id: number; lang: string; block_id: string; source_hash: string; source_text: string; confirmed_by: number; confirmed_at: number }
): Promise<void> {
	const { source_hash, source_text, confirmed_by, confirmed_at } = row;
	await db
		.insertInto('draft_translation_marks')
		.values(row)
		.onConflict((oc) => oc.columns(['draft_id', 'lang', 'block_id']).doUpdateSet({ source_hash, source_text, confirmed_by, confirmed_at }))
		.execute();
}

export async function insertTranslationVersion(
	db: Conn,
	row: { version_id: number; lang: string; state: Uint8Array; content: string; text: string; hash: string; outdated: number }
): Promise<void> {
	await db.insertInto('draft_translation_versions').values(row).execute();
}

/** The translations' versions taken beside one version of the source. */
export function translationVersions(db: Conn, versionId: number) {
	return db.selectFrom('draft_translation_versions').select(['lang', 'hash', 'outdated', 'content']).where('version_id', '=', versionId).orderBy('lang').execute();
}

/** The languages of the translations taken beside one version of the source. */
export async function translationLanguages(db: Conn, versionId: number): Promise<string[]> {
	const rows = await db.selectFrom('draft_translation_versions').select('lang').where('version_id', '=', versionId).orderBy('lang').execute();
	return rows.map((r) => r.lang);
}

/** The translations' versions beside a draft's version by its number. */
export function translationVersionsOf(db: Conn, draftId: number, number: number) {
	return db
		.selectFrom('draft_translation_versions as t')
		.innerJoin('draft_versions as v', 'v.id', 't.version_id')
		.select(['t.lang', 't.hash', 't.outdated', 't.content'])
		.where('v.draft_id', '=', draftId)
		.where('v.number', '=', number)
		.orderBy('t.lang')
		.execute();
}

/** The translations' hashes of every version of these drafts that has them (the register of decisions). */
export function translationHashes(db: Conn, draftIds: number[]) {
	if (!draftIds.length) return Promise.resolve([]);
	return db
		.selectFrom('draft_translation_versions as t')
		.innerJoin('draft_versions as v', 'v.id', 't.version_id')
		.select(['v.draft_id', 'v.number', 't.lang', 't.hash'])
		.where('v.draft_id', 'in', draftIds)
		.orderBy('t.lang')
		.execute();
}
