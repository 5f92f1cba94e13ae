import * as Y from 'yjs';
import { runsOf, SUGGESTION, suggestionAttrs, type SuggestionAttrs } from '../../src/lib/shared/suggestions.js';
import { canCommentDraft, canEditDraft, canManageDraft, type DraftFacts } from './drafts.js';
import type { Actor } from './permissions.js';

/** Suggestions are made on a text open to change, by anyone who may comment on it (editors too, by choice). */
export function canSuggestDraft(actor: Actor | null, d: DraftFacts): boolean {
	return canCommentDraft(actor, d) && (d.status === 'drafting' || d.status === 'review');
}

/** Stewards review suggestions: accepting or rejecting writes the text, so they must also be able to edit it. */
export function canReviewSuggestions(actor: Actor | null, d: DraftFacts): boolean {
	return canManageDraft(actor, d) && canEditDraft(actor, d);
}

/** During review a steward may put a suggestion to the assembly instead: it becomes an amendment. */
export function canAmendFromSuggestion(actor: Actor | null, d: DraftFacts): boolean {
	return canManageDraft(actor, d) && d.status === 'review';
}

type DeltaOp = { insert?: unknown; attributes?: Record<string, unknown> };

/**
 * What a suggester may not change, read from a document: `base`, the text as it stands without any suggestion (the
 * words proposed for insertion left out, every other word with its formatting, every node with its attributes); and
 * each suggestion's attrs and words, by id.
 */
function shapeOf(doc: Y.Doc): { base: string; suggestions: Map<string, { attrs: SuggestionAttrs | null; words: string }> } {
	const suggestions = new Map<string, { attrs: SuggestionAttrs | null; words: string }>();
	const textBase = (text: Y.XmlText): unknown[] => {
		const ops: { insert: unknown; attributes: string }[] = [];
		for (const op of text.toDelta() as DeltaOp[]) {
			const { [SUGGESTION]: raw, ...rest } = op.attributes ?? {};
			if (raw !== undefined) {
				const attrs = suggestionAttrs(raw);
				// A malformed mark counts as someone else's suggestion: no suggester may add one.
				const key = attrs?.id ?? `?${JSON.stringify(raw)}`;
				const entry = suggestions.get(key) ?? { attrs, words: '' };
				entry.words += typeof op.insert === 'string' ? op.insert : JSON.stringify(op.insert);
				suggestions.set(key, entry);
				if (attrs?.kind === 'insert') continue;
			}
			const attributes = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
			const last = ops.at(-1);
			if (last && last.attributes === attributes && typeof last.insert === 'string' && typeof op.insert === 'string') last.insert += op.insert;
			else ops.push({ insert: op.insert, attributes });
		}
		return ops;
	};
	const nodeBase = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment): unknown => {
		if (node instanceof Y.XmlText) return textBase(node);
		const children = (node.toArray() as (Y.XmlElement | Y.XmlText)[]).map(nodeBase);
		if (node instanceof Y.XmlFragment && !(node instanceof Y.XmlElement)) return children;
		const attrs = Object.entries(node.getAttributes()).sort(([a], [b]) => a.localeCompare(b));
		return [node.nodeName, attrs, children];
	};
	// Recursion is bounded: the document rules keep nodes at most DOCUMENT_LIMITS.depth deep, checked before this runs.
	const base = JSON.stringify(nodeBase(doc.getXmlFragment('default')));
	return { base, suggestions };
}

/**
 * Whether an update only adds or removes suggestions of `me` (a member who may suggest but not edit): the text
 * without suggestions stays as it was, everyone else's suggestions stay as they were, and every suggestion that is
 * new or changed is theirs, under the name their session gives. Applied to a copy, never to `doc`.
 */
export function onlySuggests(doc: Y.Doc, update: Uint8Array, me: { id: number; name: string }): boolean {
	const before = shapeOf(doc);
	const copy = new Y.Doc({ gc: false });
	try {
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		Y.applyUpdate(copy, update);
		const after = shapeOf(copy);
		if (after.base !== before.base) return false;
		for (const id of new Set([...before.suggestions.keys(), ...after.suggestions.keys()])) {
			const was = before.suggestions.get(id);
			const is = after.suggestions.get(id);
			if (was && is && JSON.stringify(was) === JSON.stringify(is)) continue;
			// Changed, added or removed: only one's own, well-formed, in one's own name.
			const mine = (s: typeof was) => !s || (s.attrs !== null && s.attrs.author === me.id && s.attrs.name === me.name);
			if (!mine(was) || !mine(is)) return false;
		}
		return true;
	} finally {
		copy.destroy();
	}
}

/** The passage an amendment made from a suggestion is about, in the block the suggestion lies in. */
export interface SuggestedPassage {
	text: Y.XmlText;
	/** Where the passage lies in the block once the suggestion is taken out (the original text). */
	from: number;
	to: number;
	original: string;
	replacement: string;
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * The passage of the suggestion `id`, widened to whole words (and, for an insertion between words, to the word
 * before it, so that the amendment names words of the text): its words as they are and as the suggestion would have
 * them. `not_found`: no such suggestion; `across_blocks`: it spans blocks; `entangled`: another suggestion lies
 * inside it (it would be decided with it).
 */
export function suggestedPassage(fragment: Y.XmlFragment, id: string): SuggestedPassage | 'not_found' | 'across_blocks' | 'entangled' {
	const runs = runsOf(fragment).filter((r) => r.attrs.id === id);
	if (!runs.length) return 'not_found';
	const text = runs[0].text;
	if (runs.some((r) => r.text !== text)) return 'across_blocks';
	const chars: { c: string; s: SuggestionAttrs | null }[] = [];
	for (const op of text.toDelta() as DeltaOp[]) {
		const s = suggestionAttrs(op.attributes?.[SUGGESTION]);
		for (const c of typeof op.insert === 'string' ? op.insert.split('') : ['\ufffc']) chars.push({ c, s });
	}
	let from = runs[0].index;
	let to = runs.at(-1)!.index + runs.at(-1)!.length;
	if (chars.slice(from, to).some(({ s }) => s !== null && s.id !== id)) return 'entangled';
	const plain = (i: number) => chars[i].s === null;
	while (from > 0 && plain(from - 1) && WORD.test(chars[from - 1].c)) from--;
	while (to < chars.length && plain(to) && WORD.test(chars[to].c)) to++;
	const ours = (i: number, kind: SuggestionAttrs['kind']) => chars[i].s?.id === id && chars[i].s?.kind === kind;
	const wordsOf = (skip: SuggestionAttrs['kind']) => chars.slice(from, to).filter((_, k) => !ours(from + k, skip)).map(({ c }) => c).join('');
	if (wordsOf('insert') === '') {
		while (from > 0 && plain(from - 1) && !WORD.test(chars[from - 1].c)) from--;
		while (from > 0 && plain(from - 1) && WORD.test(chars[from - 1].c)) from--;
	}
	let inserted = 0;
	for (let i = from; i < to; i++) if (ours(i, 'insert')) inserted++;
	return { text, from, to: to - inserted, original: wordsOf('insert'), replacement: wordsOf('delete') };
}
