import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { align, BLOCK_ID, blockIdFixes, blocksOfDoc, parseTranslationDoc, toUpdate, translationDocName, type TextBlock } from '../../src/lib/shared/translations.js';
import { addableLanguages, freezeProblem, paragraphHash } from '../../server/domain/translations.js';
import { fixBlockIds } from '../../server/services/draft-translations.service.js';

const ids = (prefix: string) => {
	let n = 0;
	return () => `${prefix}${String(++n).padStart(6, '0')}`;
};
const b = (id: string | null, text: string): TextBlock => ({ id, text });

/** A text as the editor stores it: paragraphs (XmlElements) with their block ids. */
function text(blocks: [string | null, string][], doc = new Y.Doc()): Y.Doc {
	const fragment = doc.getXmlFragment('default');
	fragment.insert(
		fragment.length,
		blocks.map(([id, t]) => {
			const p = new Y.XmlElement('paragraph');
			if (id) p.setAttribute(BLOCK_ID, id);
			p.insert(0, [new Y.XmlText(t)]);
			return p;
		})
	);
	return doc;
}

describe('block ids', () => {
	it('keeps ids through an edit; a split keeps it on the first half and gives the second a new one', () => {
		// Editing changes no id; a split copies the block's attributes to both halves (ProseMirror), so they share one.
		expect(blockIdFixes(['aaaaaa', 'bbbbbb'], ids('n'))).toEqual([null, null]);
		expect(blockIdFixes(['aaaaaa', 'aaaaaa', 'bbbbbb'], ids('n'))).toEqual([null, 'n000001', null]);
	});

	it('a merge keeps the surviving block\'s id; a new or pasted block gets a new one; a malformed id is replaced', () => {
		// Merging b into a leaves [a, c]: nothing to fix, b's id is gone.
		expect(blockIdFixes(['aaaaaa', 'cccccc'], ids('n'))).toEqual([null, null]);
		expect(blockIdFixes([null, 'aaaaaa', undefined, 'x y', 'aaaaaa'], ids('n'))).toEqual(['n000001', null, 'n000002', 'n000003', 'n000004']);
	});

	it('never hands out an id a block already has', () => {
		const fresh = ['aaaaaa', 'aaaaaa', 'zzzzzz'];
		expect(blockIdFixes([null, 'aaaaaa'], () => fresh.shift()!)).toEqual(['zzzzzz', null]);
	});

	it('fixes a text\'s blocks in place, and reads them back with their plain text', () => {
		const doc = text([[null, 'Një'], ['keep01', '  Dy  \n tre '], ['keep01', 'Katër']]);
		fixBlockIds(doc);
		const blocks = blocksOfDoc(doc);
		expect(blocks.map((x) => x.text)).toEqual(['Një', 'Dy tre', 'Katër']);
		expect(blocks[1].id).toBe('keep01');
		expect(new Set(blocks.map((x) => x.id)).size).toBe(3);
		expect(blocks.every((x) => /^[A-Za-z0-9_-]{12}$/.test(x.id!) || x.id === 'keep01')).toBe(true);
	});

	it('names a translation\'s document and reads the name back, refusing anything else', () => {
		expect(translationDocName(12, 'el')).toBe('draft-lang:12-el');
		expect(parseTranslationDoc('12-el')).toEqual({ draftId: 12, lang: 'el' });
		for (const bad of ['12-de', '012-el', '12_el', '-1-el', '12-el-x', '1e3-el']) expect(parseTranslationDoc(bad)).toBeNull();
	});
});

describe('alignment and stale paragraphs', () => {
	const source = [b('para-1', 'Kultura është e përbashkët.'), b('para-2', 'Rrjeti takohet çdo muaj.'), b('para-3', 'Buxheti ndahet drejt.')];
	const confirmed = new Map([
		['para-1', 'Kultura është e përbashkët.'],
		['para-2', 'Rrjeti takohet çdo muaj.']
	]);

	it('aligns by id, not by position, and says each paragraph\'s state', () => {
		const rows = align(source, [b('para-2', 'Το δίκτυο συναντιέται κάθε μήνα.'), b('para-1', 'Ο πολιτισμός είναι κοινός.')], confirmed);
		expect(rows.map((r) => [r.source?.id, r.translation.map((t) => t.id), r.state])).toEqual([
			['para-1', ['para-1'], 'current'],
			['para-2', ['para-2'], 'current'],
			['para-3', [], 'missing']
		]);
		expect(toUpdate(rows)).toBe(1);
	});

	it('an edit of a source paragraph after its confirmation makes it outdated, with the text it was confirmed against', () => {
		const edited = [source[0], b('para-2', 'Rrjeti takohet çdo javë.'), source[2]];
		const rows = align(edited, [b('para-1', 'x'), b('para-2', 'y'), b('para-3', 'z')], confirmed);
		expect(rows.map((r) => r.state)).toEqual(['current', 'outdated', 'unconfirmed']);
		expect(rows[1].confirmed).toBe('Rrjeti takohet çdo muaj.');
		expect(toUpdate(rows)).toBe(2);
	});

	it('a split in the source: the first half stays aligned (and outdated), the second is missing in the translation', () => {
		const split = [source[0], b('para-2', 'Rrjeti takohet'), b('new--1', 'çdo muaj.'), source[2]];
		const rows = align(split, [b('para-1', 'x'), b('para-2', 'y'), b('para-3', 'z')], new Map([...confirmed, ['para-3', 'Buxheti ndahet drejt.']]));
		expect(rows.map((r) => [r.source?.id, r.state])).toEqual([
			['para-1', 'current'],
			['para-2', 'outdated'],
			['new--1', 'missing'],
			['para-3', 'current']
		]);
	});

	it('a merge in the source: the surviving paragraph is outdated; the merged one\'s translation goes with it', () => {
		const merged = [b('para-1', 'Kultura është e përbashkët. Rrjeti takohet çdo muaj.'), source[2]];
		const rows = align(merged, [b('para-1', 'x'), b('para-2', 'y'), b('para-3', 'z')], confirmed);
		expect(rows.map((r) => [r.source?.id, r.translation.map((t) => t.id), r.state])).toEqual([
			['para-1', ['para-1', 'para-2'], 'outdated'],
			['para-3', ['para-3'], 'unconfirmed']
		]);
	});

	it('a split in the translation keeps its second half beside the same source paragraph; a merge there leaves a paragraph missing', () => {
		const splitRows = align(source, [b('para-1', 'x'), b('tran-9', 'x2'), b('para-2', 'y'), b('para-3', 'z')], confirmed);
		expect(splitRows[0].translation.map((t) => t.id)).toEqual(['para-1', 'tran-9']);
		expect(splitRows[0].state).toBe('current');
		const mergedRows = align(source, [b('para-1', 'x y'), b('para-3', 'z')], confirmed);
		expect(mergedRows.map((r) => r.state)).toEqual(['current', 'missing', 'unconfirmed']);
	});

	it('a deleted source paragraph leaves its translation with the one before; a translation\'s own first blocks come first', () => {
		const rows = align([source[0], source[2]], [b('tran-0', 'intro'), b('para-1', 'x'), b('para-2', 'y'), b('para-3', 'z')], confirmed);
		expect(rows.map((r) => [r.source?.id ?? null, r.translation.map((t) => t.id)])).toEqual([
			[null, ['tran-0']],
			['para-1', ['para-1', 'para-2']],
			['para-3', ['para-3']]
		]);
		expect(toUpdate(rows)).toBe(1);
	});

	it('an empty source paragraph has nothing to translate', () => {
		expect(align([b('empt-1', '')], [], new Map())[0].state).toBe('current');
	});

	it('concurrent edits in two languages: each text keeps its ids when merged, and only the source edit makes a paragraph outdated', () => {
		const sq = [new Y.Doc(), new Y.Doc()];
		const el = [new Y.Doc(), new Y.Doc()];
		text([['para-1', 'Kultura.'], ['para-2', 'Rrjeti.']], sq[0]);
		text([['para-1', 'Πολιτισμός.'], ['para-2', 'Δίκτυο.']], el[0]);
		Y.applyUpdate(sq[1], Y.encodeStateAsUpdate(sq[0]));
		Y.applyUpdate(el[1], Y.encodeStateAsUpdate(el[0]));
		const seen = new Map([
			['para-1', 'Kultura.'],
			['para-2', 'Rrjeti.']
		]);
		// At the same time: one Albanian editor changes p1, another splits p2 (a new block after it); a Greek editor
		// rewrites p2's translation, another adds a paragraph of their own after p1's.
		((sq[0].getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(8, ' E përbashkët.');
		text([['new--1', 'Çdo muaj.']], sq[1]);
		((el[0].getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Το ');
		const own = new Y.XmlElement('paragraph');
		own.setAttribute(BLOCK_ID, 'tran-1');
		own.insert(0, [new Y.XmlText('Σημείωση.')]);
		el[1].getXmlFragment('default').insert(1, [own]);
		for (const [a, c] of [sq, el]) {
			Y.applyUpdate(a, Y.encodeStateAsUpdate(c));
			Y.applyUpdate(c, Y.encodeStateAsUpdate(a));
			expect(blocksOfDoc(a)).toEqual(blocksOfDoc(c));
		}
		const rows = align(blocksOfDoc(sq[0]), blocksOfDoc(el[0]), seen);
		expect(rows.map((r) => [r.source?.id, r.translation.map((t) => t.text), r.state])).toEqual([
			['para-1', ['Πολιτισμός.', 'Σημείωση.'], 'outdated'],
			['para-2', ['Το Δίκτυο.'], 'current'],
			['new--1', [], 'missing']
		]);
	});
});

describe('freezing in every language', () => {
	it('refuses while a translation has paragraphs to update, unless confirmed', () => {
		expect(freezeProblem([{ lang: 'el', count: 0 }], false)).toBeNull();
		expect(freezeProblem([{ lang: 'en', count: 0 }, { lang: 'el', count: 3 }], false)).toBe('translations_outdated');
		expect(freezeProblem([{ lang: 'el', count: 3 }], true)).toBeNull();
		expect(freezeProblem([], false)).toBeNull();
	});

	it('offers the languages not yet there, and hashes a paragraph whitespace-blind', () => {
		expect(addableLanguages(['sq', 'en', 'el'], 'sq', ['el'])).toEqual(['en']);
		expect(paragraphHash(' Një  dy ')).toBe(paragraphHash('Një dy'));
		expect(paragraphHash('Një dy')).not.toBe(paragraphHash('Një tre'));
	});
});
