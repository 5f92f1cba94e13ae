import { Mark } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import type { Mark as PmMark, MarkType, Node as PmNode } from '@tiptap/pm/model';
import { ReplaceStep } from '@tiptap/pm/transform';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { colorFor, shownColor } from '$lib/shared/presence';
import { newSuggestionId, SUGGESTION, suggestionAttrs, type SuggestionAttrs } from '$lib/shared/suggestions';

export interface SuggestionOptions {
	/** Whether what is typed now becomes a suggestion (read at each change). */
	suggesting: () => boolean;
	/** Who suggests (null: a visitor, who cannot). */
	me: { id: number; name: string } | null;
}

const SUGGESTED = 'kuvend-suggested';

/**
 * The `suggestion` mark: words proposed for insertion or removal, in the suggester's colour with their name. While
 * suggesting, each change typed is turned into suggestions before it reaches the text (and so the Yjs document):
 * inserted words carry an insertion mark, deleted words stay and carry a deletion mark (one's own proposed words are
 * really deleted). Changes of structure or formatting are not suggestions and are dropped.
 */
export const SuggestionMark = Mark.create<SuggestionOptions>({
	name: SUGGESTION,
	inclusive: false,
	addOptions: () => ({ suggesting: () => false, me: null }),
	addAttributes() {
		const plain = (name: keyof SuggestionAttrs) => ({ default: null, rendered: false, parseHTML: (el: HTMLElement) => el.dataset[name] ?? null });
		return {
			id: plain('id'),
			kind: plain('kind'),
			author: { default: null, rendered: false, parseHTML: (el: HTMLElement) => Number(el.dataset.author) || null },
			name: plain('name')
		};
	},
	parseHTML: () => [{ tag: 'span[data-id][data-kind][data-author]' }],
	renderHTML({ mark }) {
		const attrs = suggestionAttrs(mark.attrs);
		if (!attrs) return ['span', {}, 0];
		return [
			attrs.kind === 'insert' ? 'ins' : 'del',
			{
				class: `suggestion suggestion-${attrs.kind}`,
				'data-id': attrs.id,
				'data-kind': attrs.kind,
				'data-author': String(attrs.author),
				title: attrs.name,
				style: `--who: ${shownColor(colorFor(attrs.author))}`
			},
			0
		];
	},
	dispatchTransaction({ transaction, next }) {
		const { me, suggesting } = this.options;
		if (!me || !transaction.docChanged || transaction.getMeta(ySyncPluginKey) || transaction.getMeta(SUGGESTED) || !suggesting()) return next(transaction);
		const made = suggested(this.editor.state, transaction, me);
		if (made) next(made);
	},
	addProseMirrorPlugins() {
		return [nameLabels()];
	}
});

/** The suggestion marks of a text node, if any. */
const suggestionOf = (node: PmNode | null | undefined, type: MarkType): SuggestionAttrs | null =>
	suggestionAttrs(node?.marks.find((m: PmMark) => m.type === type)?.attrs);

/**
 * The suggesting version of a change typed in the editor (one replacement: typing, deleting, pasting), made on the
 * same state; null when the change is not one a suggestion can say.
 */
export function suggested(state: EditorState, tr: Transaction, me: { id: number; name: string }): Transaction | null {
	if (tr.steps.length !== 1 || !(tr.steps[0] instanceof ReplaceStep)) return null;
	const step = tr.steps[0] as ReplaceStep & { from: number; to: number };
	const { from, to, slice } = step;
	const type = state.schema.marks[SUGGESTION];
	const doc = state.doc;
	const out = state.tr.setMeta(SUGGESTED, true);
	const mine = (s: SuggestionAttrs | null, kind: SuggestionAttrs['kind']) => s !== null && s.author === me.id && s.kind === kind;
	const mark = (id: string, kind: SuggestionAttrs['kind']) => type.create({ id, kind, author: me.id, name: me.name });

	// What was deleted: unmarked words get a deletion mark, one's own proposed words go, others' suggestions stay.
	const toMark: [number, number][] = [];
	const toDelete: [number, number][] = [];
	doc.nodesBetween(from, to, (node, pos) => {
		if (!node.isText) return;
		const range: [number, number] = [Math.max(from, pos), Math.min(to, pos + node.nodeSize)];
		const s = suggestionOf(node, type);
		if (mine(s, 'insert')) toDelete.push(range);
		else if (!s) toMark.push(range);
	});
	if (toMark.length) {
		// Next to one's own deletion, it grows (deleting word by word is one suggestion).
		const near = [doc.resolve(from).nodeBefore, doc.resolve(to).nodeAfter].map((n) => suggestionOf(n, type)).find((s) => mine(s, 'delete'));
		const id = near?.id ?? newSuggestionId();
		for (const [a, b] of toMark) out.addMark(a, b, mark(id, 'delete'));
	}
	for (const [a, b] of toDelete.reverse()) out.delete(a, b);

	// What was typed or pasted goes after the deleted words, as plain text in the formatting there, marked.
	// Paragraphs pasted become one run of words (a new paragraph, as Enter makes, is no suggestion: nothing).
	const words = slice.content
		.textBetween(0, slice.content.size, '\n', ' ')
		.split('\n')
		.filter(Boolean)
		.join(' ');
	const at = out.mapping.map(to);
	if (words) {
		const before = suggestionOf(out.doc.resolve(at).nodeBefore, type);
		const id = mine(before, 'insert') ? before!.id : newSuggestionId();
		const marks = out.doc
			.resolve(at)
			.marks()
			.filter((m) => m.type !== type);
		out.insert(at, state.schema.text(words, [...marks, mark(id, 'insert')]));
		out.setSelection(TextSelection.create(out.doc, at + words.length));
	} else {
		// Backspace leaves the cursor before what it marked; Delete (and a selection) after it.
		const back = state.selection.empty && state.selection.from === to;
		out.setSelection(TextSelection.create(out.doc, back ? out.mapping.map(from, -1) : at));
	}
	return out.scrollIntoView();
}

const labelsKey = new PluginKey<DecorationSet>('kuvend-suggestion-labels');

/** The suggester's name before their suggestions (once before a replacement: its deletion and insertion side by side). */
function nameLabels(): Plugin {
	const build = (doc: PmNode): DecorationSet => {
		const decorations: Decoration[] = [];
		let last: number | null = null;
		doc.descendants((node, pos) => {
			if (node.isBlock) last = null;
			if (!node.isText) return;
			const s = suggestionAttrs(node.marks.find((m) => m.type.name === SUGGESTION)?.attrs);
			if (s && s.author !== last) {
				decorations.push(
					Decoration.widget(
						pos,
						() => {
							const label = document.createElement('span');
							label.className = `suggestion-by suggestion-by-${s.kind}`;
							label.textContent = s.name;
							label.style.setProperty('--who', shownColor(colorFor(s.author)));
							label.setAttribute('aria-hidden', 'true');
							return label;
						},
						{ side: -1, key: `${s.id}:${s.kind}:${s.author}`, ignoreSelection: true }
					)
				);
			}
			last = s?.author ?? null;
		});
		return DecorationSet.create(doc, decorations);
	};
	return new Plugin({
		key: labelsKey,
		state: {
			init: (_, state) => build(state.doc),
			apply: (tr, old) => (tr.docChanged ? build(tr.doc) : old)
		},
		props: { decorations: (state) => labelsKey.getState(state) }
	});
}
