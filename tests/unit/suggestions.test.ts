import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { listSuggestions, resolveSuggestions, SUGGESTION, type SuggestionAttrs } from '../../src/lib/shared/suggestions.js';
import { onlySuggests, suggestedPassage, SuggestionGuard } from '../../server/domain/suggestions.js';
import { SuggestionMark, suggested } from '../../src/lib/drafts/suggestions/suggestion-mark.js';

const ana = { id: 7, name: 'Ana Hoxha' };
const ben = { id: 9, name: 'Βασίλης' };
const attrs = (id: string, kind: SuggestionAttrs['kind'], who = ana): SuggestionAttrs => ({ id, kind, author: who.id, name: who.name });

/** A text of one paragraph written as runs: plain strings, or [words, suggestion]. */
function docOf(...runs: (string | [string, SuggestionAttrs])[]): { doc: Y.Doc; text: Y.XmlText } {
	const doc = new Y.Doc();
	const p = new Y.XmlElement('paragraph');
	const text = new Y.XmlText();
	p.insert(0, [text]);
	doc.getXmlFragment('default').insert(0, [p]);
	for (const run of runs) {
		if (typeof run === 'string') text.insert(text.length, run, {});
		else text.insert(text.length, run[0], { [SUGGESTION]: run[1] });
	}
	return { doc, text };
}
const plain = (doc: Y.Doc) => doc.getXmlFragment('default').toArray().map((p) => (p as Y.XmlElement).toArray().map((t) => (t as Y.XmlText).toDelta().map((op: { insert: string }) => op.insert).join('')).join('')).join('\n');
const update = (doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array => {
	const peer = new Y.Doc();
	Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(peer);
	change(peer);
	return Y.encodeStateAsUpdate(peer, before);
};
const textIn = (doc: Y.Doc) => ((doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText);

describe('accepting and rejecting suggestions', () => {
	it('accepting an insertion keeps its words and drops the mark; rejecting removes them', () => {
		for (const accept of [true, false]) {
			const { doc } = docOf('The ', ['quick ', attrs('a', 'insert')], 'fox');
			expect(resolveSuggestions(doc, (s) => s.id === 'a', accept)).toBe(1);
			expect(plain(doc)).toBe(accept ? 'The quick fox' : 'The fox');
			expect(listSuggestions(doc.getXmlFragment('default'))).toEqual([]);
		}
	});

	it('accepting a deletion removes the words; rejecting keeps them unmarked', () => {
		for (const accept of [true, false]) {
			const { doc } = docOf('The ', ['slow ', attrs('d', 'delete')], 'fox');
			resolveSuggestions(doc, (s) => s.id === 'd', accept);
			expect(plain(doc)).toBe(accept ? 'The fox' : 'The slow fox');
			expect(textIn(doc).toDelta()).toEqual([{ insert: accept ? 'The fox' : 'The slow fox' }]);
		}
	});

	it('resolves only what it picks (all of one person), as one transaction, and lists the rest', () => {
		const { doc } = docOf(['A ', attrs('a1', 'insert')], 'x ', ['B ', attrs('b1', 'insert', ben)], 'y ', ['z', attrs('a2', 'delete')]);
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		expect(resolveSuggestions(doc, (s) => s.author === ana.id, true)).toBe(2);
		expect(transactions).toBe(1);
		expect(plain(doc)).toBe('A x B y ');
		expect(listSuggestions(doc.getXmlFragment('default'))).toEqual([{ ...attrs('b1', 'insert', ben), text: 'B ' }]);
	});

	it('is undone as one change by an undo manager tracking its origin', () => {
		const { doc } = docOf('The ', ['quick ', attrs('a', 'insert')], ['slow ', attrs('d', 'delete')], 'fox');
		const origin = { editor: true };
		const undo = new Y.UndoManager(doc.getXmlFragment('default'), { trackedOrigins: new Set([origin]) });
		resolveSuggestions(doc, () => true, true, origin);
		expect(plain(doc)).toBe('The quick fox');
		undo.undo();
		expect(plain(doc)).toBe('The quick slow fox');
		expect(listSuggestions(doc.getXmlFragment('default')).map((s) => s.id)).toEqual(['a', 'd']);
	});
});

describe('what a suggester may write (checked on the server)', () => {
	it('takes their own insertions and deletions, and taking them back', () => {
		const { doc } = docOf('The fox');
		const insert = update(doc, (d) => textIn(d).insert(4, 'quick ', { [SUGGESTION]: attrs('a', 'insert') }));
		expect(onlySuggests(doc, insert, ana)).toBe(true);
		Y.applyUpdate(doc, insert);
		expect(onlySuggests(doc, update(doc, (d) => textIn(d).format(0, 3, { [SUGGESTION]: attrs('d', 'delete') })), ana)).toBe(true);
		expect(onlySuggests(doc, update(doc, (d) => textIn(d).delete(4, 6)), ana)).toBe(true);
	});

	it('refuses plain text, deletions, formatting, structure, others’ suggestions and false names', () => {
		const { doc } = docOf('The ', ['brown ', attrs('b', 'insert', ben)], 'fox');
		const refused = [
			update(doc, (d) => textIn(d).insert(0, 'Not ')),
			update(doc, (d) => textIn(d).delete(0, 4)),
			update(doc, (d) => textIn(d).format(0, 3, { bold: {} })),
			update(doc, (d) => d.getXmlFragment('default').insert(1, [new Y.XmlElement('paragraph')])),
			update(doc, (d) => textIn(d).delete(4, 6)),
			update(doc, (d) => textIn(d).format(4, 6, { [SUGGESTION]: null })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: attrs('f', 'insert', ben) })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: { ...attrs('f', 'insert'), name: 'Koordinatori' } })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: { ...attrs('f', 'insert'), extra: '<b>' } })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [`${SUGGESTION}--abcdefgh`]: attrs('f', 'insert') })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: attrs('f', 'delete') }))
		];
		expect(refused.map((u) => onlySuggests(doc, u, ana))).toEqual(refused.map(() => false));
		expect(plain(doc)).toBe('The brown fox');
	});
});

describe('the guard kept by a document for its suggesters', () => {
	it('keeps its copy up to date with what others write, and starts afresh after a refusal', () => {
		const { doc } = docOf('The fox');
		const guard = new SuggestionGuard();
		const take = (u: Uint8Array) => {
			const ok = guard.check(doc, u, ana);
			if (ok) Y.applyUpdate(doc, u);
			return ok;
		};
		expect(take(update(doc, (d) => textIn(d).insert(4, 'quick ', { [SUGGESTION]: attrs('a', 'insert') })))).toBe(true);
		// An editor writes meanwhile (straight into the text, as the server applies a writer's update).
		textIn(doc).insert(0, 'Look: ', {});
		expect(take(update(doc, (d) => textIn(d).format(6, 3, { [SUGGESTION]: attrs('d', 'delete') })))).toBe(true);
		expect(take(update(doc, (d) => textIn(d).insert(0, 'NOT ')))).toBe(false);
		expect(take(update(doc, (d) => textIn(d).insert(textIn(d).length, '!', { [SUGGESTION]: attrs('e', 'insert') })))).toBe(true);
		expect(plain(doc)).toBe('Look: The quick fox!');
		expect(listSuggestions(doc.getXmlFragment('default')).map((s) => s.id)).toEqual(['d', 'a', 'e']);
		guard.forget();
	});
});

describe('what an editor may write (checked on the server)', () => {
	const bens = () => docOf('The ', ['brown ', attrs('b', 'insert', ben)], 'fox');
	const edits = (doc: Y.Doc, u: Uint8Array, guard = new SuggestionGuard()) => {
		try {
			return guard.checkEdit(doc, u, ana);
		} finally {
			guard.forget();
		}
	};

	it('refuses a suggestion in anyone else’s name, and any change to who made one or what it is', () => {
		const { doc } = bens();
		const refused = [
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: attrs('f', 'insert', ben) })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: { ...attrs('f', 'insert'), name: 'Koordinatori' } })),
			update(doc, (d) => textIn(d).format(4, 6, { [SUGGESTION]: attrs('b', 'insert') })),
			update(doc, (d) => textIn(d).format(4, 6, { [SUGGESTION]: attrs('b', 'delete', ben) })),
			update(doc, (d) => textIn(d).format(0, 3, { [SUGGESTION]: { ...attrs('f', 'insert'), extra: '<b>' } })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [`${SUGGESTION}--abcdefgh`]: attrs('f', 'insert') })),
			update(doc, (d) => textIn(d).insert(0, 'x', { [`${SUGGESTION}--abcdefgh`]: attrs('b', 'insert', ben) }))
		];
		expect(refused.map((u) => edits(doc, u))).toEqual(refused.map(() => false));
	});

	it('takes words, structure, their own suggestions, and others’ decided, typed into or moved', () => {
		const { doc } = bens();
		const taken = [
			update(doc, (d) => textIn(d).insert(0, 'Not ')),
			update(doc, (d) => textIn(d).insert(0, 'x', { [SUGGESTION]: attrs('f', 'insert') })),
			update(doc, (d) => textIn(d).format(0, 3, { bold: {}, [SUGGESTION]: attrs('g', 'delete') })),
			update(doc, (d) => resolveSuggestions(d, () => true, true)),
			update(doc, (d) => resolveSuggestions(d, () => true, false)),
			update(doc, (d) => textIn(d).delete(0, 7)),
			update(doc, (d) => textIn(d).insert(6, 'ish', {})),
			update(doc, (d) => {
				const moved = new Y.XmlElement('paragraph');
				moved.insert(0, [new Y.XmlText()]);
				d.getXmlFragment('default').insert(1, [moved]);
				(moved.get(0) as Y.XmlText).insert(0, 'brown ', { [SUGGESTION]: attrs('b', 'insert', ben) });
				textIn(d).delete(4, 6);
			})
		];
		expect(taken.map((u) => edits(doc, u))).toEqual(taken.map(() => true));
	});

	// Without the marks taken off held (marksTaken in checkEdit), the undo is refused: the copy is made after the
	// decision, from a text that no longer holds Βασίλης's mark (run, seen failing, restored).
	it('takes a decision undone, the guard made after it', () => {
		const { doc } = bens();
		const editor = new Y.Doc();
		Y.applyUpdate(editor, Y.encodeStateAsUpdate(doc));
		const undo = new Y.UndoManager(editor.getXmlFragment('default'), { trackedOrigins: new Set(['me']) });
		const guard = new SuggestionGuard();
		const sent: Uint8Array[] = [];
		editor.on('update', (u: Uint8Array) => sent.push(u));
		resolveSuggestions(editor, () => true, true, 'me');
		undo.undo();
		expect(sent.map((u) => (guard.checkEdit(doc, u, ana) ? (Y.applyUpdate(doc, u), true) : false))).toEqual([true, true]);
		expect(listSuggestions(doc.getXmlFragment('default'))).toEqual([{ ...attrs('b', 'insert', ben), text: 'brown ' }]);
		guard.forget();
	});
});

describe('the passage of an amendment made from a suggestion', () => {
	it('widens to whole words and says the words before and after', () => {
		const { doc } = docOf('The quick ', ['brown ', attrs('a', 'insert')], 'fox runs');
		expect(suggestedPassage(doc.getXmlFragment('default'), 'a')).toMatchObject({ from: 10, to: 13, original: 'fox', replacement: 'brown fox' });
		const del = docOf('The ', ['very ', attrs('d', 'delete')], 'quick fox');
		expect(suggestedPassage(del.doc.getXmlFragment('default'), 'd')).toMatchObject({ from: 4, to: 14, original: 'very quick', replacement: 'quick' });
		const atEnd = docOf('It ends.', [' More.', attrs('e', 'insert')]);
		expect(suggestedPassage(atEnd.doc.getXmlFragment('default'), 'e')).toMatchObject({ original: 'ends.', replacement: 'ends. More.' });
		const inner = docOf(['a ', attrs('x', 'delete')], ['b', attrs('y', 'insert', ben)], ['c', attrs('x', 'delete')]);
		expect(suggestedPassage(inner.doc.getXmlFragment('default'), 'x')).toBe('entangled');
		expect(suggestedPassage(inner.doc.getXmlFragment('default'), 'nope')).toBe('not_found');
	});
});

describe('typing while suggesting (the editor side)', () => {
	const schema = getSchema([StarterKit.configure({ undoRedo: false }), SuggestionMark]);
	const stateOf = (text: string) => EditorState.create({ schema, doc: schema.node('doc', null, [schema.node('paragraph', null, text ? [schema.text(text)] : [])]) });
	const marksOf = (state: EditorState) => {
		const out: { text: string; kind: string | null }[] = [];
		state.doc.descendants((n) => {
			if (n.isText) out.push({ text: n.text!, kind: (n.marks.find((m) => m.type.name === SUGGESTION)?.attrs.kind as string) ?? null });
		});
		return out;
	};

	it('marks typed words as an insertion and deleted words as a deletion; deleting one’s own insertion removes it', () => {
		let state = stateOf('The fox');
		state = state.apply(suggested(state, state.tr.insertText('quick ', 5), ana)!);
		expect(marksOf(state)).toEqual([{ text: 'The ', kind: null }, { text: 'quick ', kind: 'insert' }, { text: 'fox', kind: null }]);
		// Backspace over "The": marked, not removed; the cursor goes before it.
		state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 4)));
		state = state.apply(suggested(state, state.tr.delete(1, 4), ana)!);
		expect(state.doc.textContent).toBe('The quick fox');
		expect(marksOf(state)[0]).toEqual({ text: 'The', kind: 'delete' });
		expect(state.selection.from).toBe(1);
		// Deleting one's own proposed word takes it out.
		state = state.apply(suggested(state, state.tr.delete(5, 11), ana)!);
		expect(state.doc.textContent).toBe('The fox');
		// Pressing Enter (a new paragraph) is not a suggestion: nothing changes.
		const split = state.tr.split(3);
		expect(suggested(state, split, ana)?.docChanged ?? false).toBe(false);
	});
});
