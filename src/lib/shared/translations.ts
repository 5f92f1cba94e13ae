import * as Y from 'yjs';
import { LOCALES, type Locale } from './types.js';

/**
 * A draft in several languages, paragraph by paragraph (issue #19). Pure and isomorphic: the server decides with it
 * (stale counts, freezing) and the browser shows with it (side by side, live), from the same Yjs documents.
 *
 * Alignment. Every top-level block of a draft's text carries a block id (the `bid` attribute). The rules, kept by
 * `blockIdFixes` wherever a text is edited:
 * - an edit inside a block keeps its id;
 * - a split keeps the id on the first half; the second half is a new block with a new id;
 * - a merge keeps the id of the surviving (first) block; the id of the block merged into it is gone;
 * - a new block, or a pasted copy of a block already there, gets a new id (the first occurrence keeps it);
 * - a deleted block's id is gone.
 * A translation is its own document whose blocks carry the id of the source block they translate. A source
 * block is aligned with the translated block of the same id wherever it stands; a translated block of an id the
 * source does not have (a translator split one paragraph in two, or wrote one of their own) goes with the aligned
 * block before it. Concurrent edits in two languages touch two documents: each keeps its own ids by these rules, so
 * alignment is whatever both documents say once merged.
 */

/** The attribute that holds a top-level block's id. */
export const BLOCK_ID = 'bid';
const ID_SHAPE = /^[A-Za-z0-9_-]{6,32}$/;

/** The document name of a draft's translation into `lang`. */
export const translationDocName = (draftId: number, lang: Locale) => `draft-lang:${draftId}-${lang}`;
/** Parses the id part of a translation's document name (`12-el`). */
export function parseTranslationDoc(id: string): { draftId: number; lang: Locale } | null {
	const match = /^([1-9][0-9]{0,14})-([a-z]{2})$/.exec(id);
	if (!match || !(LOCALES as readonly string[]).includes(match[2])) return null;
	return { draftId: Number(match[1]), lang: match[2] as Locale };
}

export function isBlockId(value: unknown): value is string {
	return typeof value === 'string' && ID_SHAPE.test(value);
}

/** A new block id (12 characters of base64url randomness). */
export function newBlockId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(9));
	return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * For the top-level blocks' ids in order, the new id each block needs (null: it keeps its own). A missing or
 * malformed id gets a new one; of blocks sharing an id, the first keeps it and the later ones get new ones.
 */
export function blockIdFixes(ids: readonly unknown[], fresh: () => string = newBlockId): (string | null)[] {
	// A new id is none any block has, before or after it.
	const taken = new Set(ids.filter(isBlockId));
	const kept = new Set<string>();
	return ids.map((id) => {
		if (isBlockId(id) && !kept.has(id)) {
			kept.add(id);
			return null;
		}
		let next = fresh();
		while (taken.has(next)) next = fresh();
		taken.add(next);
		return next;
	});
}

/** One top-level block: its id (null when it has none yet) and its plain text, whitespace collapsed. */
export interface TextBlock {
	id: string | null;
	text: string;
}

function textOfType(type: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
	if (type instanceof Y.XmlText) {
		return (type.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
	}
	if (!(type instanceof Y.XmlElement)) return '';
	if (type.nodeName === 'hardBreak') return '\n';
	const children = type.toArray();
	const inline = children.some((c) => c instanceof Y.XmlText);
	return children.map(textOfType).join(inline ? '' : '\n');
}

/** The top-level blocks of an editor's text (the XmlFragment 'default'). */
export function blocksOfDoc(doc: Y.Doc): TextBlock[] {
	return doc
		.getXmlFragment('default')
		.toArray()
		.map((block) => ({
			id: block instanceof Y.XmlElement && isBlockId(block.getAttribute(BLOCK_ID)) ? (block.getAttribute(BLOCK_ID) as string) : null,
			text: textOfType(block).replace(/\s+/gu, ' ').trim()
		}));
}

/**
 * Where a source paragraph stands in a translation. `current`: confirmed against the source as it is (or nothing to
 * translate: an empty paragraph); `outdated`: the source changed since it was confirmed; `unconfirmed`: translated,
 * never confirmed; `missing`: no translated block has its id.
 */
export type RowState = 'current' | 'outdated' | 'unconfirmed' | 'missing';

export interface AlignedRow {
	/** The source paragraph (null for the translation's own blocks before any aligned one). */
	source: TextBlock | null;
	/** The translated blocks that go with it: its own, then those of ids the source does not have. */
	translation: TextBlock[];
	state: RowState;
	/** The source text it was last confirmed against, when it was. */
	confirmed: string | null;
}

/** The source and a translation paragraph by paragraph; `confirmed` maps a block id to its confirmed source text. */
export function align(source: TextBlock[], translation: TextBlock[], confirmed: ReadonlyMap<string, string>): AlignedRow[] {
	const rows: AlignedRow[] = [];
	const rowOf = new Map<string, AlignedRow>();
	for (const block of source) {
		const seen = confirmed.get(block.id ?? '') ?? null;
		const row: AlignedRow = { source: block, translation: [], state: 'missing', confirmed: block.id ? seen : null };
		if (block.id && !rowOf.has(block.id)) rowOf.set(block.id, row);
		rows.push(row);
	}
	const lead: AlignedRow = { source: null, translation: [], state: 'current', confirmed: null };
	let last: AlignedRow = lead;
	for (const block of translation) {
		const own = block.id ? rowOf.get(block.id) : undefined;
		if (own && !own.translation.some((t) => t.id === block.id)) {
			own.translation.unshift(block);
			last = own;
		} else {
			last.translation.push(block);
		}
	}
	for (const row of rows) {
		const text = row.source!.text;
		const translated = row.translation.some((t) => t.id === row.source!.id);
		if (!text) row.state = 'current';
		else if (!translated) row.state = 'missing';
		else if (row.confirmed === null) row.state = 'unconfirmed';
		else row.state = row.confirmed === text ? 'current' : 'outdated';
	}
	return lead.translation.length ? [lead, ...rows] : rows;
}

/** How many source paragraphs a translation has still to update (outdated, unconfirmed or missing). */
export function toUpdate(rows: AlignedRow[]): number {
	return rows.filter((r) => r.source && r.state !== 'current').length;
}

/** What a page knows of a draft's languages. */
export interface LanguagesView {
	source: Locale;
	translations: { lang: Locale; docName: string; toUpdate: number }[];
	/** Languages a steward may still add. */
	addable: Locale[];
}

/** A version's text in every language it was taken in (a vote on it shows the reader's). */
export interface VersionLanguages {
	/** The authoritative language: the draft's source. */
	source: Locale;
	translations: { lang: Locale; hash: string; /** Paragraphs not up to date when it was taken. */ outdated: number; html: string }[];
}
