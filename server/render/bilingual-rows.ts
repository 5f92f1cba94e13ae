import { align, BLOCK_ID, isBlockId, type RowState, type TextBlock } from '../../src/lib/shared/translations.js';
import { textOf, type PmNode } from './prosemirror-json.js';

/** One row of a text printed beside its translation: a source block and the translated blocks that go with it. */
export interface BilingualRow {
	/** The source block; null for the translation's own blocks that come before any aligned one. */
	source: PmNode | null;
	/** The translated blocks beside it: the one with its id first, then those of ids the source does not have. */
	translation: PmNode[];
	state: RowState;
}

/**
 * Pairs the top-level blocks of a text and of its translation (ProseMirror JSON) by block id, under the alignment
 * the side-by-side editor shows (`align` in src/lib/shared/translations.ts, whose comment gives the rules): rows in
 * the source's order, each source block beside the translated block of its id wherever that stands, a translated
 * block of an id the source lacks (a translator's split, or a paragraph of their own) with the aligned one before
 * it. `confirmed` maps a block id to the source text its translation was confirmed against.
 */
export function pairBlocks(source: PmNode, translation: PmNode, confirmed: ReadonlyMap<string, string>): BilingualRow[] {
	// align speaks of TextBlocks; each stands for one node, found again by identity.
	const nodeOf = new Map<TextBlock, PmNode>();
	const blocks = (doc: PmNode) =>
		(doc.content ?? []).map((node) => {
			const id = node.attrs?.[BLOCK_ID];
			// The text as blocksOfDoc reads it from the Yjs document, so it compares with what confirmations stored.
			const block: TextBlock = { id: isBlockId(id) ? id : null, text: textOf(node).replace(/\s+/gu, ' ').trim() };
			nodeOf.set(block, node);
			return block;
		});
	return align(blocks(source), blocks(translation), confirmed).map((row) => ({
		source: row.source ? nodeOf.get(row.source)! : null,
		translation: row.translation.map((t) => nodeOf.get(t)!),
		state: row.state
	}));
}
