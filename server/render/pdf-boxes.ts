import { BODY, BULLETS, CODE, GUTTER, HEADING, LINK, linesOf, TEXT, type Doc, type FontName, type Span } from './pdf-document.js';
import { headingLevel, holdsText, listStart, span, textOf, type PmNode } from './prosemirror-json.js';

/**
 * A slice of a column of text: one line, a gap, a rule, one line of a table row. A column is a list of boxes and a
 * page may end between any two, so whoever lays columns out decides every page break (pdfkit's own wrapping starts
 * new pages by itself, after the last one, which two columns flowing side by side cannot have).
 */
export interface Box {
	height: number;
	/** Draws the box with its top left corner at (x, y). */
	draw(doc: Doc, x: number, y: number): void;
	/** Space only: left out at the top of a page. */
	space?: boolean;
	/** Kept on one page with the box after it (a heading with the text it heads). */
	keep?: boolean;
}

type Piece = { text: string; style: Span; x: number; width: number };
type Context = { width: number; depth: number; tight: boolean };

const RULE = '#999999';
const CELL_BORDER = '#888888';
/** A table row at most this tall (pt, about eight lines) is not broken across pages. */
const SHORT_ROW = 120;

export const plain = (text: string, font: FontName = 'Sans'): Span => ({ text, font, link: null, underline: false, strike: false });
const space = (height: number, keep = false): Box => ({ height, space: true, keep, draw: () => {} });
const widthOf = (doc: Doc, font: FontName, size: number, text: string) => doc.font(font).fontSize(size).widthOfString(text);

/** The height of a line of text in `size` (pdfkit's line height and the 2 pt gap the single-column PDF leaves). */
const lineHeight = (doc: Doc, size: number) => doc.font('Sans').fontSize(size).currentLineHeight(true) + 2;

/** How many of a word's characters fit in `width` (at least one, so a line always moves on). */
function fitting(doc: Doc, font: FontName, size: number, chars: string[], width: number): number {
	let low = 1;
	let high = chars.length;
	while (low < high) {
		const mid = Math.ceil((low + high) / 2);
		if (widthOf(doc, font, size, chars.slice(0, mid).join('')) <= width) low = mid;
		else high = mid - 1;
	}
	return low;
}

/**
 * Styled text broken into lines no wider than `width`: between words, and inside a word only when it is wider than
 * a line (a long address). Spaces at a line's ends are dropped.
 */
function wrap(doc: Doc, spans: Span[], width: number, size: number): Piece[][] {
	const lines: Piece[][] = [];
	let line: Piece[] = [];
	let x = 0;
	let pendingSpace: Span | null = null;
	const put = (text: string, style: Span, w: number) => {
		const last = line[line.length - 1];
		if (last?.style === style) {
			last.text += text;
			last.width += w;
		} else line.push({ text, style, x, width: w });
		x += w;
	};
	const flush = () => {
		lines.push(line);
		line = [];
		x = 0;
		pendingSpace = null;
	};
	for (const style of spans) {
		// Lines break at ordinary spaces only: a no-break space (in "15 000") holds its words together.
		for (const token of style.text.split(/([ \t\r\n]+)/)) {
			if (!token) continue;
			if (/^[ \t\r\n]+$/.test(token)) {
				if (line.length) pendingSpace = style;
				continue;
			}
			let chars = Array.from(token);
			while (chars.length) {
				const word = chars.join('');
				const gap = pendingSpace ? widthOf(doc, pendingSpace.font, size, ' ') : 0;
				const w = widthOf(doc, style.font, size, word);
				if (x + gap + w <= width) {
					if (pendingSpace) put(' ', pendingSpace, gap);
					pendingSpace = null;
					put(word, style, w);
					break;
				}
				if (line.length) {
					flush();
					continue;
				}
				const n = fitting(doc, style.font, size, chars, width);
				const part = chars.slice(0, n).join('');
				put(part, style, widthOf(doc, style.font, size, part));
				chars = chars.slice(n);
				flush();
			}
		}
	}
	if (line.length || !lines.length) lines.push(line);
	return lines;
}

function drawPieces(doc: Doc, pieces: Piece[], x: number, y: number, size: number, color: string): void {
	// Each piece placed on its own: pdfkit neither wraps nor starts a page for text without a width.
	for (const p of pieces) {
		doc.font(p.style.font).fontSize(size).fillColor(p.style.link ? LINK : color);
		doc.text(p.text, x + p.x, y, { lineBreak: false, link: p.style.link, underline: p.style.underline, strike: p.style.strike });
	}
	doc.fillColor(TEXT);
}

/** The boxes of lines of styled text, one a line. */
export function textBoxes(doc: Doc, lines: Span[][], width: number, size: number, color = TEXT, keep = false): Box[] {
	const height = lineHeight(doc, size);
	return lines.flatMap((spans) => wrap(doc, spans, width, size)).map((pieces) => ({ height, keep, draw: (d, x, y) => drawPieces(d, pieces, x, y, size, color) }));
}

const shifted = (boxes: Box[], dx: number): Box[] => boxes.map((b) => ({ ...b, draw: (d, x, y) => b.draw(d, x + dx, y) }));

function listBoxes(doc: Doc, node: PmNode, ctx: Context): Box[] {
	const ordered = node.type === 'orderedList';
	const items = node.content ?? [];
	const start = listStart(node);
	doc.font('Sans').fontSize(BODY);
	// Numbers are right-aligned against the text, and the gutter widens for long ones (99., 100.).
	const gutter = ordered ? Math.max(GUTTER, doc.widthOfString(`${start + items.length - 1}.`) + 6) : GUTTER;
	const boxes = items.flatMap((item, i) => {
		const marker = ordered ? `${start + i}.` : BULLETS[ctx.depth % BULLETS.length];
		const inner = shifted(blocks(doc, item.content, { width: ctx.width - gutter, depth: ctx.depth + 1, tight: true }), gutter);
		const first = inner.findIndex((b) => !b.space);
		if (first >= 0) {
			const box = inner[first];
			inner[first] = {
				...box,
				draw: (d, x, y) => {
					d.font('Sans').fontSize(BODY).fillColor(TEXT);
					d.text(marker, x + (ordered ? gutter - 6 - d.widthOfString(marker) : 0), y, { lineBreak: false });
					box.draw(d, x, y);
				}
			};
		}
		return inner;
	});
	return ctx.tight ? boxes : [...boxes, space(BODY * 0.5)];
}

function quoteBoxes(doc: Doc, node: PmNode, ctx: Context): Box[] {
	const inner = blocks(doc, node.content, { ...ctx, width: ctx.width - GUTTER });
	while (inner.at(-1)?.space) inner.pop();
	// The bar is drawn beside each line, so it follows the quote onto the next page.
	const barred = inner.map((b) => ({
		...b,
		draw: (d: Doc, x: number, y: number) => {
			d.moveTo(x + 4, y).lineTo(x + 4, y + b.height).lineWidth(2).strokeColor('#cccccc').stroke();
			b.draw(d, x + GUTTER, y);
		}
	}));
	return [...barred, space(ctx.tight ? 2 : BODY * 0.6)];
}

function codeBoxes(doc: Doc, node: PmNode, ctx: Context): Box[] {
	const pad = 6;
	doc.font('Mono').fontSize(CODE);
	// Monospaced: a line holds a fixed number of characters, and its spaces (indentation) are kept as they are.
	const perLine = Math.max(1, Math.floor((ctx.width - 2 * pad) / doc.widthOfString('M')));
	const height = doc.currentLineHeight(true) + 1;
	// DejaVu has no glyph for a tab.
	const rows = textOf(node)
		.replace(/\t/g, '    ')
		.split('\n')
		.flatMap((line) => {
			const chars = Array.from(line);
			const out: string[] = [];
			for (let i = 0; i < Math.max(chars.length, 1); i += perLine) out.push(chars.slice(i, i + perLine).join(''));
			return out;
		});
	const shade = (d: Doc, x: number, y: number, h: number) => d.rect(x, y, ctx.width, h).fill('#f2f2f2');
	const edge: Box = { height: pad, draw: (d, x, y) => shade(d, x, y, pad) };
	const lines = rows.map(
		(text): Box => ({
			height,
			draw: (d, x, y) => {
				shade(d, x, y, height);
				d.font('Mono').fontSize(CODE).fillColor(TEXT).text(text, x + pad, y, { lineBreak: false });
			}
		})
	);
	return [edge, ...lines, edge, space(ctx.tight ? 2 : BODY * 0.6)];
}

/** A table, each of its rows a few boxes (its lines), so a tall row breaks across pages like a paragraph. */
function tableBoxes(doc: Doc, node: PmNode, ctx: Context): Box[] {
	const pad = 4;
	const size = BODY - 1;
	const height = lineHeight(doc, size);
	const rows = node.content ?? [];
	const columns = Math.max(1, ...rows.map((r) => (r.content ?? []).reduce((n, c) => n + span(c, 'colspan'), 0)));
	const unit = ctx.width / columns;
	const boxes = rows.flatMap((row): Box[] => {
		let column = 0;
		const cells = (row.content ?? []).map((cell) => {
			const x = column * unit;
			const w = unit * span(cell, 'colspan');
			column += span(cell, 'colspan');
			const header = cell.type === 'tableHeader';
			const lines = textOf(cell)
				.split('\n')
				.flatMap((t) => wrap(doc, [plain(t.replace(/[ \t]+/g, ' ').trim(), header ? 'Sans-Bold' : 'Sans')], w - 2 * pad, size));
			return { x, w, header, lines };
		});
		const frame = (d: Doc, x: number, y: number, h: number) => {
			for (const c of cells.filter((c) => c.header)) d.rect(x + c.x, y, c.w, h).fill('#eeeeee');
			d.lineWidth(0.5).strokeColor(CELL_BORDER);
			for (const c of cells) d.moveTo(x + c.x, y).lineTo(x + c.x, y + h).stroke();
			const right = cells.length ? cells[cells.length - 1].x + cells[cells.length - 1].w : 0;
			d.moveTo(x + right, y).lineTo(x + right, y + h).stroke();
		};
		const across = (d: Doc, x: number, y: number) => d.moveTo(x, y).lineTo(x + unit * column, y).lineWidth(0.5).strokeColor(CELL_BORDER).stroke();
		const count = Math.max(1, ...cells.map((c) => c.lines.length));
		const lines = Array.from({ length: count }, (_, i): Box => ({
			height,
			draw: (d, x, y) => {
				frame(d, x, y, height);
				for (const c of cells) drawPieces(d, c.lines[i] ?? [], x + c.x + pad, y, size, TEXT);
			}
		}));
		const edge = (line: 0 | 1): Box => ({
			height: pad,
			draw: (d, x, y) => {
				frame(d, x, y, pad);
				across(d, x, y + line * pad);
			}
		});
		const parts = [edge(0), ...lines, edge(1)];
		// A short row stays on one page; a tall one breaks between its lines, its top border kept with its first.
		const short = parts.reduce((h, b) => h + b.height, 0) <= SHORT_ROW;
		return parts.map((b, i) => ({ ...b, keep: i < parts.length - 1 && (short || i === 0) }));
	});
	return boxes.length ? [...boxes, space(BODY * 0.6)] : [];
}

function blockBoxes(doc: Doc, node: PmNode, ctx: Context): Box[] {
	const gap = ctx.tight ? 2 : BODY * 0.6;
	switch (node.type) {
		case 'paragraph':
			return [...textBoxes(doc, linesOf(node.content), ctx.width, BODY), space(gap)];
		case 'heading': {
			const size = HEADING[headingLevel(node) - 1];
			// Kept with the first line after it.
			return [space(size * 0.4), ...textBoxes(doc, linesOf(node.content, true), ctx.width, size, TEXT, true), space(size * 0.3, true)];
		}
		case 'bulletList':
		case 'orderedList':
			return listBoxes(doc, node, ctx);
		case 'blockquote':
			return quoteBoxes(doc, node, ctx);
		case 'codeBlock':
			return codeBoxes(doc, node, ctx);
		case 'horizontalRule':
			return [{ height: 16, draw: (d, x, y) => d.moveTo(x, y + 6).lineTo(x + ctx.width, y + 6).lineWidth(0.5).strokeColor(RULE).stroke() }];
		case 'table':
			return tableBoxes(doc, node, ctx);
		default:
			return holdsText(node) ? [...textBoxes(doc, linesOf(node.content), ctx.width, BODY), space(gap)] : blocks(doc, node.content, ctx);
	}
}

function blocks(doc: Doc, nodes: PmNode[] = [], ctx: Context): Box[] {
	return nodes.flatMap((node) => blockBoxes(doc, node, ctx));
}

/** Blocks of text as the boxes of a column `width` wide. */
export function columnBoxes(doc: Doc, nodes: PmNode[], width: number): Box[] {
	return blocks(doc, nodes, { width, depth: 0, tight: false });
}
