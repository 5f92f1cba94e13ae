import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import type { CommentView } from '$lib/shared/drafts';
import type { Locale } from '$lib/shared/types';
import { rangeOf } from './collab';

/** A passage to mark in the text (a comment's anchors). */
export interface Mark {
	id: number;
	start: string;
	end: string;
	active?: boolean;
}

/** The passages to mark in the text in `lang`: its open comments' (each text of a draft is its own document). */
export function marksOf(comments: CommentView[], lang: Locale, active: number | null): Mark[] {
	return comments
		.filter((c) => c.lang === lang && c.parentId === null && !c.resolved && c.anchorStart && c.anchorEnd)
		.map((c) => ({ id: c.id, start: c.anchorStart!, end: c.anchorEnd!, active: c.id === active }));
}

const key = new PluginKey<DecorationSet>('kuvend-comment-marks');

/** Highlights commented passages; the set is replaced by `showMarks` and follows the text in between. */
export const CommentMarks = Extension.create({
	name: 'commentMarks',
	addProseMirrorPlugins() {
		return [
			new Plugin({
				key,
				state: {
					init: () => DecorationSet.empty,
					apply: (tr, old) => (tr.getMeta(key) as DecorationSet | undefined) ?? old.map(tr.mapping, tr.doc)
				},
				props: { decorations: (state) => key.getState(state) }
			})
		];
	}
});

/** Resolves each mark's anchors in the text as it is now, highlights them, and says where each one is. */
export function showMarks(editor: Editor, doc: Y.Doc, marks: Mark[]): Map<number, { from: number; to: number } | null> {
	const positions = new Map<number, { from: number; to: number } | null>();
	const decorations: Decoration[] = [];
	for (const mark of marks) {
		const range = rangeOf(editor.state, doc, mark.start, mark.end);
		positions.set(mark.id, range);
		if (range) decorations.push(Decoration.inline(range.from, range.to, { class: mark.active ? 'comment-mark active' : 'comment-mark', 'data-comment': String(mark.id) }));
	}
	editor.view.dispatch(editor.state.tr.setMeta(key, DecorationSet.create(editor.state.doc, decorations)).setMeta('addToHistory', false));
	return positions;
}
