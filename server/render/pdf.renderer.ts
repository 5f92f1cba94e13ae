import { BODY, BULLETS, CODE, GUTTER, HEADING, LINK, linesOf, MARGIN, pdfDocument, TEXT, titleBlock, type Doc, type Span } from './pdf-document.js';
import { headingLevel, holdsText, listStart, span, textOf, type PmNode } from './prosemirror-json.js';

type Context = { indent: number; depth: number; tight: boolean };

function ensureSpace(doc: Doc, height: number): void {
	if (doc.y + height > doc.page.maxY()) doc.addPage();
}

function contentWidth(doc: Doc, ctx: Context): number {
	return doc.page.width - 2 * MARGIN - ctx.indent;
}

// Each line is one run of `continued` text: pdfkit drops or misplaces newlines between continued calls. It
// also carries unset options over between those calls, so every span states link, underline and strike.
function writeLines(doc: Doc, lines: Span[][], ctx: Context, size: number, color = TEXT): void {
	const x = MARGIN + ctx.indent;
	const width = contentWidth(doc, ctx);
	for (const spans of lines) {
		if (!spans.length) {
			doc.font('Sans').fontSize(size).text(' ', x, doc.y, { width, lineGap: 2 });
			continue;
		}
		spans.forEach((s, i) => {
			doc.font(s.font).fontSize(size).fillColor(s.link ? LINK : color);
			const options = { width, lineGap: 2, continued: i < spans.length - 1, link: s.link, underline: s.underline, strike: s.strike };
			if (i === 0) doc.text(s.text, x, doc.y, options);
			else doc.text(s.text, options);
		});
	}
	doc.fillColor(TEXT);
}

function pdfList(doc: Doc, node: PmNode, ctx: Context): void {
	const ordered = node.type === 'orderedList';
	const items = node.content ?? [];
	const start = listStart(node);
	doc.font('Sans').fontSize(BODY);
	// Numbers are right-aligned against the text, and the gutter widens for long ones (99., 100.).
	const gutter = ordered ? Math.max(GUTTER, doc.widthOfString(`${start + items.length - 1}.`) + 6) : GUTTER;
	items.forEach((item, i) => {
		const marker = ordered ? `${start + i}.` : BULLETS[ctx.depth % BULLETS.length];
		doc.font('Sans').fontSize(BODY);
		ensureSpace(doc, doc.currentLineHeight(true));
		const y = doc.y;
		const x = MARGIN + ctx.indent + (ordered ? gutter - 6 - doc.widthOfString(marker) : 0);
		doc.fillColor(TEXT).text(marker, x, y, { lineBreak: false });
		doc.y = y;
		pdfBlocks(doc, item.content, { indent: ctx.indent + gutter, depth: ctx.depth + 1, tight: true });
	});
	if (!ctx.tight) doc.y += BODY * 0.5;
}

function pdfTable(doc: Doc, node: PmNode, ctx: Context): void {
	const data = (node.content ?? []).map((row) =>
		(row.content ?? []).map((cell) => ({
			text: textOf(cell).replace(/[ \t]+/g, ' ').trim(),
			colSpan: span(cell, 'colspan'),
			rowSpan: span(cell, 'rowspan'),
			...(cell.type === 'tableHeader' ? { font: { src: 'Sans-Bold' }, backgroundColor: '#eeeeee', type: 'TH' as const } : {})
		}))
	);
	if (!data.length) return;
	doc.font('Sans').fontSize(BODY - 1).fillColor(TEXT);
	ensureSpace(doc, doc.currentLineHeight(true) * 2);
	doc.table({
		position: { x: MARGIN + ctx.indent, y: doc.y },
		maxWidth: contentWidth(doc, ctx),
		defaultStyle: { padding: 4, border: 0.5, borderColor: '#888888' },
		data
	});
	doc.x = MARGIN;
	doc.y += BODY * 0.6;
}

function pdfCode(doc: Doc, node: PmNode, ctx: Context): void {
	// DejaVu has no glyph for a tab.
	const text = textOf(node).replace(/\t/g, '    ') || ' ';
	const pad = 6;
	const x = MARGIN + ctx.indent;
	const width = contentWidth(doc, ctx);
	doc.font('Mono').fontSize(CODE);
	const height = doc.heightOfString(text, { width: width - 2 * pad, lineGap: 1 }) + 2 * pad;
	const pageHeight = doc.page.maxY() - doc.page.margins.top;
	if (height <= pageHeight) ensureSpace(doc, height);
	const y = doc.y;
	// A block longer than a page flows on without a background rather than having one drawn wrongly.
	if (y + height <= doc.page.maxY()) doc.rect(x, y, width, height).fill('#f2f2f2');
	doc.fillColor(TEXT).text(text, x + pad, y + pad, { width: width - 2 * pad, lineGap: 1 });
	doc.y = Math.max(doc.y, y + height) + (ctx.tight ? 2 : BODY * 0.6);
}

function pdfQuote(doc: Doc, node: PmNode, ctx: Context): void {
	const page = doc.page;
	const top = doc.y;
	const x = MARGIN + ctx.indent + 4;
	pdfBlocks(doc, node.content, { ...ctx, indent: ctx.indent + GUTTER });
	// The bar is drawn only when the quote ends on the page it began on; across pages the indent alone shows it.
	if (doc.page === page) doc.moveTo(x, top).lineTo(x, doc.y - BODY * 0.4).lineWidth(2).strokeColor('#cccccc').stroke();
}

function pdfBlock(doc: Doc, node: PmNode, ctx: Context): void {
	const gap = ctx.tight ? 2 : BODY * 0.6;
	switch (node.type) {
		case 'paragraph':
			doc.font('Sans').fontSize(BODY);
			ensureSpace(doc, doc.currentLineHeight(true));
			writeLines(doc, linesOf(node.content), ctx, BODY);
			doc.y += gap;
			return;
		case 'heading': {
			const size = HEADING[headingLevel(node) - 1];
			doc.font('Sans-Bold').fontSize(size);
			// Keep a heading with the first lines after it.
			ensureSpace(doc, doc.currentLineHeight(true) + 3 * BODY * 1.4);
			doc.y += size * 0.4;
			writeLines(doc, linesOf(node.content, true), ctx, size);
			doc.y += size * 0.3;
			return;
		}
		case 'bulletList':
		case 'orderedList':
			pdfList(doc, node, ctx);
			return;
		case 'blockquote':
			pdfQuote(doc, node, ctx);
			return;
		case 'codeBlock':
			pdfCode(doc, node, ctx);
			return;
		case 'horizontalRule': {
			ensureSpace(doc, 16);
			const y = doc.y + 6;
			doc.moveTo(MARGIN + ctx.indent, y).lineTo(doc.page.width - MARGIN, y).lineWidth(0.5).strokeColor('#999999').stroke();
			doc.y = y + 10;
			return;
		}
		case 'table':
			pdfTable(doc, node, ctx);
			return;
		default:
			if (holdsText(node)) {
				writeLines(doc, linesOf(node.content), ctx, BODY);
				doc.y += gap;
			} else {
				pdfBlocks(doc, node.content, ctx);
			}
	}
}

function pdfBlocks(doc: Doc, nodes: PmNode[] = [], ctx: Context): void {
	for (const node of nodes) pdfBlock(doc, node, ctx);
}

/** An A4 PDF of the text with the title (and subtitle) on top and page numbers, in fonts that cover sq and el. */
export function toPdf(json: PmNode, opts: { title: string; subtitle?: string; lang: string }): Promise<Buffer> {
	return pdfDocument(opts, (doc) => {
		titleBlock(doc, opts);
		doc.y += BODY * 1.2;
		pdfBlocks(doc, json.content, { indent: 0, depth: 0, tight: false });
	});
}
