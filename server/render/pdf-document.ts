import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { byLink, hasMark, textOf, type PmNode } from './prosemirror-json.js';

// What the PDF renderers share: the fonts, the measures and colours, a block's styled lines, the page numbers.

const FONT_FILES = {
	Sans: 'DejaVuSans.ttf',
	'Sans-Bold': 'DejaVuSans-Bold.ttf',
	'Sans-Oblique': 'DejaVuSans-Oblique.ttf',
	'Sans-BoldOblique': 'DejaVuSans-BoldOblique.ttf',
	Mono: 'DejaVuSansMono.ttf'
} as const;
export type FontName = keyof typeof FONT_FILES;

// The font files never change while the process runs; reading them once saves ~2 MB of disk reads per export.
const fontBytes = new Map<FontName, Buffer>();

function font(name: FontName): Buffer {
	let bytes = fontBytes.get(name);
	if (!bytes) {
		// Resolved through the package rather than a path relative to this file, which moves when bundled.
		const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
		bytes = readFileSync(path.join(dir, FONT_FILES[name]));
		fontBytes.set(name, bytes);
	}
	return bytes;
}

export const MARGIN = 56; // about 2 cm
export const BODY = 11;
export const CODE = 9.5;
export const HEADING = [20, 16, 14, 12.5, 11.5, 11];
export const GUTTER = 18;
export const TEXT = '#111111';
export const MUTED = '#555555';
export const LINK = '#0645ad';
export const BULLETS = ['•', '◦', '▪'];

export type Doc = PDFKit.PDFDocument;
export type Span = { text: string; font: FontName; link: string | null; underline: boolean; strike: boolean };

/** The lines of a block (split at hard breaks and newlines), each a run of differently styled spans. */
export function linesOf(nodes: PmNode[] = [], bold = false): Span[][] {
	const lines: Span[][] = [[]];
	for (const { href, nodes: group } of byLink(nodes)) {
		for (const node of group) {
			if (node.type === 'hardBreak') {
				lines.push([]);
				continue;
			}
			const b = bold || hasMark(node, 'bold');
			const i = hasMark(node, 'italic');
			const name: FontName = hasMark(node, 'code') ? 'Mono' : b && i ? 'Sans-BoldOblique' : b ? 'Sans-Bold' : i ? 'Sans-Oblique' : 'Sans';
			const style = { font: name, link: href, underline: hasMark(node, 'underline') || href !== null, strike: hasMark(node, 'strike') };
			(node.type === 'text' ? (node.text ?? '') : textOf(node)).split('\n').forEach((text, k) => {
				if (k > 0) lines.push([]);
				if (text) lines[lines.length - 1].push({ text, ...style });
			});
		}
	}
	return lines;
}

/**
 * An A4 document with the fonts registered (they cover sq and el), and its bytes once `draw` has filled it. Pages
 * are buffered, so `draw` may go back to an earlier page.
 */
export function pdfDocument(opts: { title: string; lang: string }, draw: (doc: Doc) => void): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const doc = new PDFDocument({
			size: 'A4',
			margin: MARGIN,
			bufferPages: true,
			lang: opts.lang,
			displayTitle: true,
			info: { Title: opts.title, Creator: 'Kuvend' }
		});
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		try {
			for (const name of Object.keys(FONT_FILES) as FontName[]) doc.registerFont(name, font(name));
			draw(doc);
			numberPages(doc);
			doc.end();
		} catch (err) {
			reject(err);
		}
	});
}

/** The title (and subtitle) on top of the first page; doc.y is left below them. */
export function titleBlock(doc: Doc, opts: { title: string; subtitle?: string }): void {
	const width = doc.page.width - 2 * MARGIN;
	doc.font('Sans-Bold').fontSize(22).fillColor(TEXT).text(opts.title, MARGIN, MARGIN, { width });
	if (opts.subtitle) doc.moveDown(0.2).font('Sans').fontSize(10).fillColor(MUTED).text(opts.subtitle, { width });
	doc.fillColor(TEXT);
}

function numberPages(doc: Doc): void {
	const { start, count } = doc.bufferedPageRange();
	for (let i = start; i < start + count; i++) {
		doc.switchToPage(i);
		// Writing inside the bottom margin would otherwise make pdfkit start a new page.
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		doc.font('Sans').fontSize(9).fillColor(MUTED);
		const footer = { width: doc.page.width - 2 * MARGIN, align: 'center' as const, lineBreak: false };
		doc.text(`${i + 1} / ${count}`, MARGIN, doc.page.height - MARGIN / 2 - 9, footer);
		doc.page.margins.bottom = bottom;
	}
}
