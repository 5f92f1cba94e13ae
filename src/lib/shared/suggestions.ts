import * as Y from 'yjs';

// Suggestions (track changes) live in the co-edited text itself: a `suggestion` mark on the words, which y-tiptap
// stores as a formatting attribute of the Yjs text. They travel, merge and stay on their words like any other mark;
// nothing about them is kept outside the document. Shared by the editor (listing, accepting, rejecting) and the
// server (checking what a commenter's connection writes, turning a suggestion into an amendment).

/** The mark's name in the editor's schema and the attribute's key in the Yjs text. */
export const SUGGESTION = 'suggestion';

export type SuggestionKind = 'insert' | 'delete';

/** What the mark carries: which suggestion, whether its words are proposed or proposed for removal, and by whom. */
export interface SuggestionAttrs {
	id: string;
	kind: SuggestionKind;
	author: number;
	name: string;
}

/** A suggestion as the review lists it: its words (the runs of all its blocks, in order). */
export interface Suggestion extends SuggestionAttrs {
	text: string;
}

const ID = /^[A-Za-z0-9_-]{1,32}$/;
export const MAX_NAME = 120;

/** The attrs when `value` is a well-formed suggestion mark's, null otherwise (anything may arrive from a peer). */
export function suggestionAttrs(value: unknown): SuggestionAttrs | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Record<string, unknown>;
	if (Object.keys(v).length !== 4) return null;
	if (typeof v.id !== 'string' || !ID.test(v.id)) return null;
	if (v.kind !== 'insert' && v.kind !== 'delete') return null;
	if (typeof v.author !== 'number' || !Number.isSafeInteger(v.author) || v.author <= 0) return null;
	if (typeof v.name !== 'string' || v.name.length === 0 || v.name.length > MAX_NAME) return null;
	return { id: v.id, kind: v.kind, author: v.author, name: v.name };
}

/** A fresh suggestion id (random; collisions only matter within one document). */
export function newSuggestionId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(9));
	return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** One stretch of suggested words in one block of text. */
export interface SuggestionRun {
	text: Y.XmlText;
	index: number;
	length: number;
	words: string;
	attrs: SuggestionAttrs;
}

/** The text nodes of a fragment in document order (iterative: a document may be deep). */
export function textsOf(root: Y.XmlFragment | Y.XmlElement): Y.XmlText[] {
	const out: Y.XmlText[] = [];
	const stack: (Y.XmlElement | Y.XmlText | Y.XmlFragment)[] = [root];
	while (stack.length) {
		const node = stack.pop()!;
		if (node instanceof Y.XmlText) out.push(node);
		else {
			const children = node.toArray() as (Y.XmlElement | Y.XmlText)[];
			for (let i = children.length - 1; i >= 0; i--) if (children[i] instanceof Y.XmlElement || children[i] instanceof Y.XmlText) stack.push(children[i]);
		}
	}
	return out;
}

type DeltaOp = { insert?: unknown; attributes?: Record<string, unknown> };

/** Every run of suggested words in the text, in document order. */
export function runsOf(fragment: Y.XmlFragment): SuggestionRun[] {
	const runs: SuggestionRun[] = [];
	for (const text of textsOf(fragment)) {
		let index = 0;
		for (const op of text.toDelta() as DeltaOp[]) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			const attrs = suggestionAttrs(op.attributes?.[SUGGESTION]);
			if (attrs) runs.push({ text, index, length, words: typeof op.insert === 'string' ? op.insert : '', attrs });
			index += length;
		}
	}
	return runs;
}

/** The suggestions in the text, each once, in the order they first appear. */
export function listSuggestions(fragment: Y.XmlFragment): Suggestion[] {
	const byId = new Map<string, Suggestion & { last: Y.XmlText }>();
	for (const run of runsOf(fragment)) {
		const known = byId.get(run.attrs.id);
		if (!known) byId.set(run.attrs.id, { ...run.attrs, text: run.words, last: run.text });
		else {
			known.text += (known.last === run.text ? '' : ' ') + run.words;
			known.last = run.text;
		}
	}
	return [...byId.values()].map(({ id, kind, author, name, text }) => ({ id, kind, author, name, text }));
}

/**
 * Accepts or rejects the suggestions `which` picks, as one Yjs transaction (one change, undone as one). Accepting
 * an insertion keeps its words and drops the mark; accepting a deletion removes the words; rejecting does the
 * reverse. Returns how many suggestions were resolved. `origin` lets the editor's undo manager track the change.
 */
export function resolveSuggestions(doc: Y.Doc, which: (s: SuggestionAttrs) => boolean, accept: boolean, origin: unknown = null): number {
	const ids = new Set<string>();
	doc.transact(() => {
		const runs = runsOf(doc.getXmlFragment('default')).filter((r) => which(r.attrs));
		// From the end: removing a run leaves the indices of the runs before it (in the same block) where they were.
		for (const run of runs.reverse()) {
			ids.add(run.attrs.id);
			const removeWords = accept ? run.attrs.kind === 'delete' : run.attrs.kind === 'insert';
			if (removeWords) run.text.delete(run.index, run.length);
			else run.text.format(run.index, run.length, { [SUGGESTION]: null });
		}
	}, origin);
	return ids.size;
}
