import type { RowState } from '../../src/lib/shared/translations.js';
import type { BilingualRow } from './bilingual-rows.js';
import { columnBoxes, plain, textBoxes, type Box } from './pdf-boxes.js';
import { BODY, MARGIN, MUTED, pdfDocument, TEXT, titleBlock, type Doc } from './pdf-document.js';
import { textOf, type PmNode } from './prosemirror-json.js';

/** A column's heading: its language, and for a version the hash of that language's text. */
export interface ColumnHead {
	label: string;
	hash?: string;
}

export interface BilingualOptions {
	title: string;
	subtitle: string;
	/** The language of the words around the text (the reader's). */
	lang: string;
	columns: [ColumnHead, ColumnHead];
	/** What a translation cell says of a paragraph that is not up to date, in the reader's language. */
	marks: Record<Exclude<RowState, 'current'>, string>;
}

const COLUMN_GAP = 20;
const ROW_GAP = 10;
const MARK = 8.5;
const MARK_COLOR: Record<Exclude<RowState, 'current'>, string> = { outdated: '#9a4d00', unconfirmed: MUTED, missing: MUTED };
/** How far below the top of a line DejaVu Sans sets its baseline, in em. */
const ASCENT = 0.928;

type At = { page: number; y: number };

const columnWidth = (doc: Doc) => (doc.page.width - 2 * MARGIN - COLUMN_GAP) / 2;

const blank = (node: PmNode) => node.type === 'paragraph' && !textOf(node).trim();
/** A cell's boxes without space at either end: both cells of a row start at its top, whatever their first block. */
function trimmed(boxes: Box[]): Box[] {
	const first = boxes.findIndex((b) => !b.space);
	if (first < 0) return [];
	let end = boxes.length;
	while (boxes[end - 1].space) end--;
	return boxes.slice(first, end);
}

/** What a translation cell says of its state, above its text; its first line on the baseline of the source's beside it. */
function markBoxes(doc: Doc, state: Exclude<RowState, 'current'>, words: string, width: number): Box[] {
	const drop = (BODY - MARK) * ASCENT;
	const lines = textBoxes(doc, [[plain(words, 'Sans-Oblique')]], width, MARK, MARK_COLOR[state]);
	const [first, ...rest] = lines;
	return [{ height: first.height + drop, draw: (d, x, y) => first.draw(d, x, y + drop) }, ...rest, { height: 2, draw: () => {} }];
}

/** The height a column needs on a page to begin: its first two lines (and what they are kept with). */
function opening(boxes: Box[]): number {
	let height = 0;
	let lines = 0;
	for (const box of boxes) {
		if (!lines && box.space) continue;
		height += box.height;
		if (!box.space && !box.keep && ++lines === 2) break;
	}
	return height;
}

/** A box's height with the boxes it is kept with. */
function needed(boxes: Box[], i: number): number {
	let height = boxes[i].height;
	for (let j = i; boxes[j].keep && j + 1 < boxes.length; j++) height += boxes[j + 1].height;
	return height;
}

/**
 * Lays rows of two columns out on pages. Both columns of a row start at the same height; each flows on by itself
 * and, when it reaches the bottom, continues at the top of the next page, where the other continues too; the next
 * row starts below the longer of the two. Pages come with the columns' heads repeated on top.
 */
class TwoColumns {
	readonly #x: [number, number];
	readonly #tops: number[] = [];
	readonly #bottom: number;

	constructor(
		private readonly doc: Doc,
		/** The heads of a page after the first. */
		private readonly heads: () => Box[][]
	) {
		this.#x = [MARGIN, MARGIN + columnWidth(doc) + COLUMN_GAP];
		this.#bottom = doc.page.height - MARGIN;
	}

	/** Starts the first page's columns at `y`. */
	begin(y: number): At {
		this.#tops.push(y);
		return { page: 0, y };
	}

	#top(page: number): number {
		while (this.#tops.length <= page) {
			this.doc.addPage();
			this.#tops.push(this.drawHeads(this.heads(), MARGIN));
		}
		return this.#tops[page];
	}

	#next(at: At): At {
		return { page: at.page + 1, y: this.#top(at.page + 1) };
	}

	#flow(boxes: Box[], column: 0 | 1, from: At): At {
		let at = from;
		boxes.forEach((box, i) => {
			if (box.space && at.y <= this.#top(at.page)) return;
			if (at.y + needed(boxes, i) > this.#bottom && at.y > this.#top(at.page)) {
				at = this.#next(at);
				if (box.space) return;
			}
			this.doc.switchToPage(at.page);
			box.draw(this.doc, this.#x[column], at.y);
			at = { ...at, y: at.y + box.height };
		});
		return at;
	}

	/** Places a row from `at`, on the next page unless it can begin here with `after` more below it; where it ends. */
	row(left: Box[], right: Box[], at: At, after = 0): At {
		const start = at.y + Math.max(opening(left), opening(right)) + after > this.#bottom && at.y > this.#top(at.page) ? this.#next(at) : at;
		const a = this.#flow(left, 0, start);
		const b = this.#flow(right, 1, start);
		return a.page === b.page ? { page: a.page, y: Math.max(a.y, b.y) } : a.page > b.page ? a : b;
	}

	/** A hairline under a row, and the space between it and the next. */
	separate(at: At): At {
		if (at.y + ROW_GAP > this.#bottom) return { ...at, y: this.#bottom };
		const y = at.y + ROW_GAP / 2;
		this.doc.switchToPage(at.page);
		this.doc.moveTo(MARGIN, y).lineTo(this.doc.page.width - MARGIN, y).lineWidth(0.5).strokeColor('#dddddd').stroke();
		return { ...at, y: at.y + ROW_GAP };
	}

	/** Draws the two heads at `y`, with a rule under them; where the columns start below. */
	drawHeads(heads: Box[][], y: number): number {
		let end = y;
		heads.forEach((boxes, column) => {
			let at = y;
			for (const box of boxes) {
				box.draw(this.doc, this.#x[column], at);
				at += box.height;
			}
			end = Math.max(end, at);
		});
		const rule = end + 3;
		this.doc.moveTo(MARGIN, rule).lineTo(this.doc.page.width - MARGIN, rule).lineWidth(0.75).strokeColor('#999999').stroke();
		return rule + 9;
	}
}

/**
 * An A4 PDF of a text and its translation side by side, paragraph by paragraph (`pairBlocks` decides the rows):
 * the title, each column headed by its language (and a version's hash), a translation that is not up to date
 * marked so. A layout only.
 */
export function toBilingualPdf(rows: BilingualRow[], opts: BilingualOptions): Promise<Buffer> {
	return pdfDocument(opts, (doc) => {
		const width = columnWidth(doc);
		const headBoxes = (full: boolean) =>
			opts.columns.map((c) => [
				...textBoxes(doc, [[plain(c.label, 'Sans-Bold')]], width, full ? 11 : 9, full ? TEXT : MUTED),
				...(full && c.hash ? textBoxes(doc, [[plain(c.hash, 'Mono')]], width, 7.5, MUTED) : [])
			]);
		const layout = new TwoColumns(doc, () => headBoxes(false));

		titleBlock(doc, opts);
		let at = layout.begin(layout.drawHeads(headBoxes(true), doc.y + 12));

		const cells = rows
			.filter((r) => !((!r.source || blank(r.source)) && r.translation.every(blank)))
			.map((row) => ({
				heading: row.source?.type === 'heading',
				left: trimmed(row.source ? columnBoxes(doc, [row.source], width) : []),
				right: trimmed([...(row.state === 'current' ? [] : markBoxes(doc, row.state, opts.marks[row.state], width)), ...columnBoxes(doc, row.translation, width)])
			}));
		cells.forEach((cell, i) => {
			const next = cells[i + 1];
			// A heading's row does not end a page: it begins where the row after it can begin too.
			const after = cell.heading && next ? ROW_GAP + Math.max(opening(next.left), opening(next.right)) : 0;
			at = layout.row(cell.left, cell.right, at, after);
			if (next) at = layout.separate(at);
		});
	});
}
