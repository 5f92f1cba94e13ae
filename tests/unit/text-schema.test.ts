import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import type { Schema } from '@tiptap/pm/model';
import { textExtensions } from '../../src/lib/drafts/text-extensions.js';

// The editor's schema was StarterKit's (undo off, a link for http(s) and mailto) with TipTap's tables, and documents
// were written with it (Yjs keeps node and mark names and attributes; server/render reads them). textExtensions()
// builds it from other pieces: it must stay the same schema, drawn the same.
const before = getSchema([
	StarterKit.configure({ undoRedo: false, link: { openOnClick: false, protocols: ['http', 'https', 'mailto'] } }),
	Table.configure({ resizable: false }),
	TableRow,
	TableHeader,
	TableCell
]);
const now = getSchema(textExtensions());

/** A schema as data: its nodes and marks in order, with what each says of content, grouping and attributes. */
function specOf(schema: Schema): unknown {
	const plain = (spec: object) => JSON.parse(JSON.stringify(spec)) as unknown;
	return { nodes: Object.entries(schema.nodes).map(([name, t]) => [name, plain(t.spec)]), marks: Object.entries(schema.marks).map(([name, t]) => [name, plain(t.spec)]) };
}

describe('the text schema', () => {
	it('is the one StarterKit and the tables made, so texts written before read the same', () => {
		expect(specOf(now)).toEqual(specOf(before));
		expect(now.nodes.tableCell.spec.tableRole).toBe('cell');
	});

	it('draws a table as TipTap’s Table did, widths of pasted columns included', () => {
		const cell = (colwidth: number[] | null = null, colspan = 1) => ({ type: 'tableCell', attrs: { colspan, colwidth }, content: [{ type: 'paragraph' }] });
		const table = (...cells: object[]) => ({ type: 'table', content: [{ type: 'tableRow', content: cells }] });
		for (const json of [table(cell(), cell()), table(cell([120]), cell([10, 300], 2)), table(cell([120]), cell()), table()]) {
			const drawn = (schema: Schema) => schema.nodes.table.spec.toDOM!(schema.nodeFromJSON(json));
			expect(drawn(now), JSON.stringify(json)).toEqual(drawn(before));
		}
	});
});
