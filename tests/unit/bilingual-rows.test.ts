import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pairBlocks, type BilingualRow } from '../../server/render/bilingual-rows.js';
import { docToJson, textOf, type PmNode } from '../../server/render/prosemirror-json.js';
import { BLOCK_ID, blocksOfDoc } from '../../src/lib/shared/translations.js';

const p = (id: string | null, text: string): PmNode => ({ type: 'paragraph', ...(id ? { attrs: { [BLOCK_ID]: id } } : {}), content: [{ type: 'text', text }] });
const doc = (...content: PmNode[]): PmNode => ({ type: 'doc', content });
const none = new Map<string, string>();

/** Rows as [source text, translation texts, state], to read at a glance. */
const shape = (rows: BilingualRow[]) => rows.map((r) => [r.source ? textOf(r.source) : null, r.translation.map(textOf), r.state]);

describe('pairing a text with its translation by block id', () => {
	it('puts each source block beside the translated block of its id, with its state', () => {
		const source = doc(p('block-a', 'Kultura është e përbashkët.'), p('block-b', 'Rrjeti takohet çdo muaj.'), p('block-c', 'Buxheti ndahet drejt.'));
		const translation = doc(p('block-a', 'Ο πολιτισμός είναι κοινός.'), p('block-b', 'Το δίκτυο συναντιέται.'), p('block-c', 'Ο προϋπολογισμός.'));
		// a confirmed against the text it has now, b against an older one, c never.
		const confirmed = new Map([
			['block-a', 'Kultura është e përbashkët.'],
			['block-b', 'Rrjeti takohet.']
		]);
		expect(shape(pairBlocks(source, translation, confirmed))).toEqual([
			['Kultura është e përbashkët.', ['Ο πολιτισμός είναι κοινός.'], 'current'],
			['Rrjeti takohet çdo muaj.', ['Το δίκτυο συναντιέται.'], 'outdated'],
			['Buxheti ndahet drejt.', ['Ο προϋπολογισμός.'], 'unconfirmed']
		]);
	});

	it('leaves the cell of a block missing in the translation empty, and an empty source paragraph current', () => {
		const source = doc(p('block-a', 'Një.'), p('block-b', 'Dy.'), p('block-e', ''), p('block-c', 'Tre.'));
		const translation = doc(p('block-a', 'Ένα.'), p('block-c', 'Τρία.'));
		expect(shape(pairBlocks(source, translation, none))).toEqual([
			['Një.', ['Ένα.'], 'unconfirmed'],
			['Dy.', [], 'missing'],
			['', [], 'current'],
			['Tre.', ['Τρία.'], 'unconfirmed']
		]);
	});

	it('keeps the source order when the translation has its blocks in another', () => {
		const source = doc(p('block-a', 'Një.'), p('block-b', 'Dy.'), p('block-c', 'Tre.'));
		const translation = doc(p('block-c', 'Τρία.'), p('block-a', 'Ένα.'), p('block-b', 'Δύο.'));
		expect(shape(pairBlocks(source, translation, none)).map(([s, t]) => [s, t])).toEqual([
			['Një.', ['Ένα.']],
			['Dy.', ['Δύο.']],
			['Tre.', ['Τρία.']]
		]);
	});

	it('puts the translation\'s own blocks (a translator\'s split) with the aligned block before them', () => {
		// The translator split b in two: the second half got a new id the source does not have.
		const source = doc(p('block-a', 'Një.'), p('block-b', 'Dy dhe tre.'), p('block-c', 'Katër.'));
		const translation = doc(p('block-a', 'Ένα.'), p('block-b', 'Δύο.'), p('split-b2', 'Και τρία.'), p('block-c', 'Τέσσερα.'));
		expect(shape(pairBlocks(source, translation, none)).map(([s, t]) => [s, t])).toEqual([
			['Një.', ['Ένα.']],
			['Dy dhe tre.', ['Δύο.', 'Και τρία.']],
			['Katër.', ['Τέσσερα.']]
		]);
	});

	it('opens with a row of no source for the translation\'s own blocks before any aligned one', () => {
		const rows = pairBlocks(doc(p('block-a', 'Një.')), doc(p('preface', 'Πρόλογος.'), p(null, 'Χωρίς id.'), p('block-a', 'Ένα.')), none);
		expect(shape(rows)).toEqual([
			[null, ['Πρόλογος.', 'Χωρίς id.'], 'current'],
			['Një.', ['Ένα.'], 'unconfirmed']
		]);
	});

	it('pairs split and merged paragraphs as the ids say: the id stays with the first half or the surviving block', () => {
		// In the source, b was split (its second half is a new block the translation lacks); in the translation,
		// d was merged into c (d's id is gone, its text is in c's block).
		const source = doc(p('block-b', 'Dy.'), p('new-half', 'Dy e gjysmë.'), p('block-c', 'Tre.'), p('block-d', 'Katër.'));
		const translation = doc(p('block-b', 'Δύο.'), p('block-c', 'Τρία. Τέσσερα.'));
		expect(shape(pairBlocks(source, translation, none))).toEqual([
			['Dy.', ['Δύο.'], 'unconfirmed'],
			['Dy e gjysmë.', [], 'missing'],
			['Tre.', ['Τρία. Τέσσερα.'], 'unconfirmed'],
			['Katër.', [], 'missing']
		]);
	});

	it('gives a pasted copy of a translated block (its id twice) to the row before it, not a second own block', () => {
		const rows = pairBlocks(doc(p('block-a', 'Një.'), p('block-b', 'Dy.')), doc(p('block-a', 'Ένα.'), p('block-b', 'Δύο.'), p('block-a', 'Ένα ξανά.')), none);
		expect(shape(rows).map(([s, t]) => [s, t])).toEqual([
			['Një.', ['Ένα.']],
			['Dy.', ['Δύο.', 'Ένα ξανά.']]
		]);
	});

	it('keeps the blocks themselves, marks and all, for the layout', () => {
		const bold: PmNode = { type: 'paragraph', attrs: { [BLOCK_ID]: 'block-a' }, content: [{ type: 'text', text: 'Fort', marks: [{ type: 'bold' }] }] };
		const list: PmNode = { type: 'bulletList', attrs: { [BLOCK_ID]: 'block-a' }, content: [{ type: 'listItem', content: [p(null, 'Ένα')] }] };
		const [row] = pairBlocks(doc(bold), doc(list), none);
		expect(row.source).toBe(bold);
		expect(row.translation).toEqual([list]);
	});

	it('reads a block\'s text as the live document does, so a confirmation made there holds in an export', () => {
		// Confirmations store the source text blocksOfDoc reads from the Yjs document; the export reads ProseMirror JSON.
		const y = new Y.Doc();
		const fragment = y.getXmlFragment('default');
		const paragraph = new Y.XmlElement('paragraph');
		paragraph.setAttribute(BLOCK_ID, 'block-a');
		const words = new Y.XmlText();
		words.applyDelta([{ insert: 'Kultura  është ' }, { insert: 'e përbashkët', attributes: { bold: {} } }]);
		paragraph.insert(0, [words, new Y.XmlElement('hardBreak'), new Y.XmlText('për të gjithë.')]);
		const list = new Y.XmlElement('bulletList');
		list.setAttribute(BLOCK_ID, 'block-b');
		const item = new Y.XmlElement('listItem');
		const inner = new Y.XmlElement('paragraph');
		inner.insert(0, [new Y.XmlText('Një pikë')]);
		item.insert(0, [inner]);
		list.insert(0, [item]);
		fragment.insert(0, [paragraph, list]);
		const confirmed = new Map(blocksOfDoc(y).map((b) => [b.id!, b.text]));
		const json = docToJson(y);
		expect(pairBlocks(json, json, confirmed).map((r) => r.state)).toEqual(['current', 'current']);
	});
});
