import type * as Y from 'yjs';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { listSuggestions, resolveSuggestions, type Suggestion, type SuggestionAttrs } from '$lib/shared/suggestions';

/** Tells `report` the suggestions in the text now and after every change to it (anyone's). */
export function followSuggestions(doc: Y.Doc, report: (suggestions: Suggestion[]) => void): void {
	const fragment = doc.getXmlFragment('default');
	const tell = () => report(listSuggestions(fragment));
	fragment.observeDeep(tell);
	tell();
}

/**
 * Accepts or rejects suggestions in the editor's document: one Yjs transaction under the editor binding's origin,
 * which the editor shows and its undo manager tracks (so Ctrl+Z takes the decision back, as one change).
 */
export function resolveInEditor(doc: Y.Doc, which: (s: SuggestionAttrs) => boolean, accept: boolean): number {
	return resolveSuggestions(doc, which, accept, ySyncPluginKey);
}
