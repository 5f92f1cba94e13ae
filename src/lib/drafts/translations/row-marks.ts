import { Extension, type Editor } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { diffWordsWithSpace } from 'diff';
import { align, BLOCK_ID, isBlockId, toUpdate, type AlignedRow, type TextBlock } from '$lib/shared/translations';

/** What the translation's editor needs to know besides its own text. */
export interface RowsInput {
	/** The source's blocks now (live from its document). */
	source: TextBlock[];
	/** Block id → the source text it was confirmed against. */
	confirmed: ReadonlyMap<string, string>;
	/** The words shown, in the reader's language. */
	words: {
		outdated: string;
		unconfirmed: string;
		missing: string;
		confirm: string;
		translateHere: string;
		showSource: string;
		hideSource: string;
	};
	/** May this person confirm and write (an editor)? */
	editable: boolean;
	onConfirm: (blockId: string) => void;
	/** Told how many paragraphs are to update, at every change. */
	onCount?: (count: number) => void;
}

const key = new PluginKey<DecorationSet>('translationRows');
/** Paragraphs whose source is shown (the phone's toggle), by block id: kept while widgets are redrawn. */
const shown = new Set<string>();

function blocksOf(doc: PmNode): TextBlock[] {
	const blocks: TextBlock[] = [];
	doc.forEach((node) => void blocks.push({ id: isBlockId(node.attrs[BLOCK_ID]) ? node.attrs[BLOCK_ID] : null, text: node.textContent }));
	return blocks;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
	const e = document.createElement(tag);
	e.className = cls;
	if (text !== undefined) e.textContent = text;
	return e;
}

/** The word diff from the text a paragraph was confirmed against to the source now. */
function diffOf(before: string, after: string): HTMLElement {
	const p = el('p', 'lng-diff');
	for (const change of diffWordsWithSpace(before, after, { maxEditLength: 2000 }) ?? [{ value: after, added: true, removed: false }]) {
		p.append(change.added ? el('ins', '', change.value) : change.removed ? el('del', '', change.value) : document.createTextNode(change.value));
	}
	return p;
}

function button(cls: string, label: string, onclick: () => void): HTMLButtonElement {
	const b = el('button', `lng-btn ${cls}`, label);
	b.type = 'button';
	b.addEventListener('click', onclick);
	return b;
}

/** The note before a source paragraph's place in the translation: its state, the change, the phone's toggle. */
function rowWidget(row: AlignedRow, input: RowsInput, editor: Editor, insertAt: number): HTMLElement {
	const source = row.source!;
	const id = source.id!;
	const { words } = input;
	const box = el('div', `lng-row lng-${row.state}`);
	box.dataset.row = id;
	box.contentEditable = 'false';
	box.append(el('div', 'lng-spacer'));
	if (row.state === 'outdated' || row.state === 'unconfirmed') {
		const note = el('div', 'lng-note');
		note.append(el('strong', '', row.state === 'outdated' ? words.outdated : words.unconfirmed));
		if (row.state === 'outdated') note.append(diffOf(row.confirmed ?? '', source.text));
		if (input.editable) note.append(button('lng-confirm', words.confirm, () => input.onConfirm(id)));
		box.append(note);
	}
	if (row.state === 'missing') {
		const note = el('div', 'lng-note');
		note.append(el('strong', '', words.missing), el('p', 'lng-missing-text', source.text));
		if (input.editable) {
			note.append(
				button('lng-translate', words.translateHere, () => {
					editor.chain().focus().insertContentAt(insertAt, { type: 'paragraph', attrs: { [BLOCK_ID]: id }, content: [{ type: 'text', text: source.text }] }).run();
				})
			);
		}
		box.append(note);
		return box;
	}
	// On a phone the source is not beside the translation: a toggle per paragraph shows it above.
	const open = shown.has(id);
	const text = el('p', 'lng-source', source.text);
	text.hidden = !open;
	const toggle = button('lng-toggle', open ? words.hideSource : words.showSource, () => {
		const now = !shown.has(id);
		if (now) shown.add(id);
		else shown.delete(id);
		text.hidden = !now;
		toggle.textContent = now ? words.hideSource : words.showSource;
		toggle.setAttribute('aria-expanded', String(now));
	});
	toggle.setAttribute('aria-expanded', String(open));
	box.append(toggle, text);
	return box;
}

function decorations(state: EditorState, input: RowsInput, editor: Editor): DecorationSet {
	const rows = align(input.source, blocksOf(state.doc), input.confirmed);
	input.onCount?.(toUpdate(rows));
	// Where each translated block starts and ends, by id.
	const at = new Map<string, { from: number; to: number }>();
	state.doc.forEach((node, offset) => {
		const id = node.attrs[BLOCK_ID];
		if (isBlockId(id) && !at.has(id)) at.set(id, { from: offset, to: offset + node.nodeSize });
	});
	const decos: Decoration[] = [];
	// A missing paragraph's place: after the translation of the paragraph before it.
	let after = 0;
	rows.forEach((row, index) => {
		const end = row.translation.reduce((max, t) => Math.max(max, (t.id && at.get(t.id)?.to) || 0), 0);
		if (!row.source?.id) {
			after = Math.max(after, end);
			return;
		}
		const own = at.get(row.source.id);
		const pos = row.state === 'missing' || !own ? after : own.from;
		const spec = `${row.source.id}|${row.state}|${row.confirmed}|${row.source.text}|${input.editable}|${pos}`;
		decos.push(Decoration.widget(pos, () => rowWidget(row, input, editor, pos), { side: row.state === 'missing' ? -10_000 + index : -1, key: spec, stopEvent: () => true, ignoreSelection: true }));
		if (own) decos.push(Decoration.node(own.from, own.to, { class: `lng-block lng-${row.state}` }));
		after = Math.max(after, end);
	});
	return DecorationSet.create(state.doc, decos);
}

/**
 * The translation's editor, aligned to its source: before each source paragraph's translation, its state
 * (outdated with the word diff, unconfirmed, missing with a button to start it) and, for phones, a toggle that shows
 * the source paragraph. `input()` is read at every change; dispatch `refreshRows(editor)` when it changes.
 */
export function TranslationRows(input: () => RowsInput) {
	return Extension.create({
		name: 'translationRows',
		addProseMirrorPlugins() {
			const editor = this.editor;
			return [
				new Plugin<DecorationSet>({
					key,
					state: {
						init: (_config, state) => decorations(state, input(), editor),
						apply: (tr, old, _oldState, state) => (tr.docChanged || tr.getMeta(key) ? decorations(state, input(), editor) : old)
					},
					props: { decorations: (state) => key.getState(state) }
				})
			];
		}
	});
}

/** Redraws the rows (the source or the confirmations changed). */
export function refreshRows(editor: Editor): void {
	if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(key, true));
}

const spacerKey = new PluginKey<DecorationSet>('sourceSpacers');

function spacers(doc: PmNode): DecorationSet {
	const decos: Decoration[] = [];
	doc.forEach((node, offset) => {
		const id = node.attrs[BLOCK_ID];
		if (!isBlockId(id)) return;
		decos.push(
			Decoration.widget(
				offset,
				() => {
					const s = el('div', 'lng-spacer');
					s.dataset.for = id;
					s.contentEditable = 'false';
					return s;
				},
				{ side: -1, key: `sp:${id}`, ignoreSelection: true }
			)
		);
	});
	return DecorationSet.create(doc, decos);
}

/** Before each of the source's blocks, a spacer the side-by-side view stretches to keep paragraphs level. */
export const SourceSpacers = Extension.create({
	name: 'sourceSpacers',
	addProseMirrorPlugins() {
		return [
			new Plugin<DecorationSet>({
				key: spacerKey,
				state: { init: (_c, state) => spacers(state.doc), apply: (tr, old) => (tr.docChanged ? spacers(tr.doc) : old) },
				props: { decorations: (state) => spacerKey.getState(state) }
			})
		];
	}
});
