import * as Y from 'yjs';
import * as repo from '../db/repositories/draft-translation.repository.js';
import { canEditDraft, canManageDraft, canRestoreDraft } from '../domain/drafts.js';
import { addableLanguages, freezeProblem, paragraphHash } from '../domain/translations.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import {
	align,
	BLOCK_ID,
	blockIdFixes,
	blocksOfDoc,
	isBlockId,
	parseTranslationDoc,
	toUpdate,
	translationDocName,
	type AlignedRow,
	type LanguagesView,
	type TextBlock,
	type VersionLanguages
} from '../../src/lib/shared/translations.js';
import { isLocale, LOCALES, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { DocumentAccess } from './document-access.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';
import type { Snapshot } from './draft-versions.service.js';
import { toHtmlFragment } from '../render/html.renderer.js';
import type { PmNode } from '../render/prosemirror-json.js';

/** A translation as the freeze takes it: its version and how many of its paragraphs were not up to date. */
export interface FrozenTranslation {
	lang: Locale;
	snapshot: Snapshot;
	outdated: number;
}

/** One of a draft's texts: the source or a translation. */
export interface DraftText {
	lang: Locale;
	docName: string;
	/** The translation's language; null for the source text (what comments and amendments store, see the migration). */
	translation: Locale | null;
}

/** Gives every top-level block of a text a unique block id (the alignment rules in src/lib/shared/translations.ts). */
export function fixBlockIds(doc: Y.Doc): void {
	const blocks = doc.getXmlFragment('default').toArray();
	const fixes = blockIdFixes(blocks.map((b) => (b instanceof Y.XmlElement ? b.getAttribute(BLOCK_ID) : null)));
	blocks.forEach((block, i) => {
		if (fixes[i] && block instanceof Y.XmlElement) block.setAttribute(BLOCK_ID, fixes[i]);
	});
}

function blocksOfState(state: Uint8Array): TextBlock[] {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return blocksOfDoc(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * A draft's language versions (issue #19): the source language, the translations (each its own co-edited
 * document, aligned to the source by block ids), the source paragraph each translated block was last confirmed
 * against, and what a freeze takes of each. A part of the drafts service, like its versions and comments.
 */
export class DraftTranslations {
	constructor(
		private readonly p: DraftParts,
		private readonly primary: () => Locale,
		private readonly snapshotOf: (name: string) => Promise<Snapshot>
	) {}

	/** The language a draft is written in: the network's primary language until a first translation fixes it. */
	async source(draftId: number): Promise<Locale> {
		const lang = (await repo.sourceLang(this.p.db, draftId))?.source_lang;
		return isLocale(lang) ? lang : this.primary();
	}

	/**
	 * Which of a draft's texts a passage named with `lang` is in: the source when it names none or the source's own
	 * language, else a translation the draft has (not_found for any other language).
	 */
	async text(draftId: number, lang: string | null | undefined): Promise<DraftText> {
		const source = await this.source(draftId);
		if (!lang || lang === source) return { lang: source, docName: docNameOf(draftId), translation: null };
		if (!isLocale(lang) || !(await this.languages(draftId)).includes(lang)) throw new DomainError('not_found', 'no such translation');
		return { lang, docName: translationDocName(draftId, lang), translation: lang };
	}

	/** The languages a draft is translated into. */
	async languages(draftId: number): Promise<Locale[]> {
		return (await repo.listTranslations(this.p.db, draftId)).filter(isLocale);
	}

	/** The document names of the draft's text in every language, the source first. */
	async docNames(draftId: number): Promise<string[]> {
		return [docNameOf(draftId), ...(await this.languages(draftId)).map((l) => translationDocName(draftId, l))];
	}

	async #rows(draftId: number, lang: Locale): Promise<AlignedRow[]> {
		const [source, translation, confirmed] = await Promise.all([
			this.p.documents.state(docNameOf(draftId)),
			this.p.documents.state(translationDocName(draftId, lang)),
			repo.confirmations(this.p.db, draftId, lang)
		]);
		return align(blocksOfState(source), blocksOfState(translation), confirmed);
	}

	/** How many paragraphs each translation has to update. */
	async toUpdate(draftId: number): Promise<{ lang: Locale; count: number }[]> {
		return Promise.all((await this.languages(draftId)).map(async (lang) => ({ lang, count: toUpdate(await this.#rows(draftId, lang)) })));
	}

	/** What the draft's page shows of its languages. */
	async view(auth: Authenticated | null, id: number): Promise<LanguagesView> {
		const { draft, facts } = await this.p.readable(auth, id);
		const [source, counts] = await Promise.all([this.source(draft.id), this.toUpdate(draft.id)]);
		const manage = canRestoreDraft(auth?.actor ?? null, facts);
		return {
			source,
			translations: counts.map(({ lang, count }) => ({ lang, docName: translationDocName(draft.id, lang), toUpdate: count })),
			addable: manage ? addableLanguages(LOCALES, source, counts.map((c) => c.lang)) : []
		};
	}

	/** The source and one translation, paragraph by paragraph, with each paragraph's state. */
	async rows(auth: Authenticated | null, id: number, lang: string): Promise<AlignedRow[]> {
		const { draft } = await this.p.readable(auth, id);
		if (!isLocale(lang) || !(await this.languages(draft.id)).includes(lang)) throw new DomainError('not_found');
		return this.#rows(draft.id, lang);
	}

	/** The source paragraph each translated block was confirmed against (block id → text). */
	async confirmations(auth: Authenticated | null, id: number, lang: string): Promise<Record<string, string>> {
		const { draft } = await this.p.readable(auth, id);
		if (!isLocale(lang)) throw new DomainError('not_found');
		return Object.fromEntries(await repo.confirmations(this.p.db, draft.id, lang));
	}

	/**
	 * Adds a translation (stewards, while the text is open to change). The source language is fixed then if it was
	 * not; the source's blocks get their ids, and the translation starts as a copy of the source, block for block
	 * under the same ids, every paragraph unconfirmed until a translator confirms it.
	 */
	async add(auth: Authenticated | null, id: number, lang: string): Promise<void> {
		const { draft, facts } = await this.p.readable(auth, id);
		const actor = auth?.actor ?? null;
		if (!canManageDraft(actor, facts)) throw new DomainError('forbidden');
		if (!canRestoreDraft(actor, facts)) throw new DomainError('conflict', 'the text is not open to change');
		if (!isLocale(lang)) throw new DomainError('invalid_input', 'no such language', { lang: 'required' });
		const source = await repo.fixSourceLang(this.p.db, draft.id, this.primary());
		if (lang === source) throw new DomainError('invalid_input', 'the source language', { lang: 'required' });
		if (!(await repo.insertTranslation(this.p.db, { draft_id: draft.id, lang, created_by: actor!.id, created_at: this.p.clock() }))) {
			throw new DomainError('conflict', 'already translated');
		}
		await this.p.documents.change(docNameOf(draft.id), fixBlockIds);
		const state = await this.p.documents.state(docNameOf(draft.id));
		await this.p.documents.change(translationDocName(draft.id, lang), (doc) => {
			const from = new Y.Doc();
			Y.applyUpdate(from, state);
			const fragment = doc.getXmlFragment('default');
			if (fragment.length === 0) fragment.insert(0, from.getXmlFragment('default').toArray().map((b) => b.clone() as Y.XmlElement));
			from.destroy();
		});
		this.p.bus.emit('draft.changed', { draftId: draft.id });
	}

	/**
	 * A translator confirms that a translated block says what its source paragraph says now (editors): the
	 * paragraph's hash and text are kept, so it shows as outdated once the source paragraph changes again.
	 */
	async confirm(auth: Authenticated | null, id: number, lang: string, blockId: string): Promise<void> {
		const { draft, facts } = await this.p.readable(auth, id);
		if (!canEditDraft(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
		if (!isLocale(lang) || !(await this.languages(draft.id)).includes(lang)) throw new DomainError('not_found');
		if (!isBlockId(blockId)) throw new DomainError('invalid_input', 'no such paragraph', { block: 'required' });
		const row = (await this.#rows(draft.id, lang)).find((r) => r.source?.id === blockId);
		if (!row?.source || row.state === 'missing') throw new DomainError('conflict', 'no such translated paragraph');
		const text = row.source.text;
		await repo.confirm(this.p.db, {
			draft_id: draft.id,
			lang,
			block_id: blockId,
			source_hash: paragraphHash(text),
			source_text: text,
			confirmed_by: auth!.actor.id,
			confirmed_at: this.p.clock()
		});
		this.p.bus.emit('draft.changed', { draftId: draft.id });
	}

	/**
	 * What a freeze takes of each translation (call it with every language's document sealed). Refused while any has
	 * paragraphs to update, unless the steward confirmed freezing them so.
	 */
	async freezing(draftId: number, outdatedConfirmed: boolean): Promise<FrozenTranslation[]> {
		const counts = await this.toUpdate(draftId);
		if (freezeProblem(counts, outdatedConfirmed)) {
			throw new DomainError('invalid_input', 'translations have paragraphs to update', { translations: 'outdated' });
		}
		return Promise.all(counts.map(async ({ lang, count }) => ({ lang, outdated: count, snapshot: await this.snapshotOf(translationDocName(draftId, lang)) })));
	}

	/**
	 * A version's text in each language it was taken in (the caller has checked the reader may read the draft);
	 * null when it was taken in the source language only.
	 */
	async versionLanguages(draftId: number, versionId: number): Promise<VersionLanguages | null> {
		const rows = await repo.translationVersions(this.p.db, versionId);
		if (!rows.length) return null;
		return {
			source: await this.source(draftId),
			translations: rows.filter((r) => isLocale(r.lang)).map((r) => ({ lang: r.lang as Locale, hash: r.hash, outdated: r.outdated, html: toHtmlFragment(JSON.parse(r.content) as PmNode) }))
		};
	}

	/** Access to a translation's document: as to the draft's own, for a translation it has. */
	async documentAccess(id: string, access: (draftId: number) => Promise<DocumentAccess | null>): Promise<DocumentAccess | null> {
		const parsed = parseTranslationDoc(id);
		if (!parsed || !(await this.languages(parsed.draftId)).includes(parsed.lang)) return null;
		return access(parsed.draftId);
	}
}
