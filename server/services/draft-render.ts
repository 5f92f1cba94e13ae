import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import PDFDocument from 'pdfkit';
import type * as Y from 'yjs';
import { DomainError } from '../../src/lib/shared/errors.js';

// A draft's text lives in a Y.Doc edited through TipTap (StarterKit + tables). Everything a reader gets from it
// (plain text for diffs, a hash for versions, Markdown/HTML/PDF exports) is rendered here from the ProseMirror
// JSON, by hand: no editor schema on the server, and nothing from the content is ever passed through as markup.

/** A ProseMirror node as JSON (the shape TipTap's getJSON() and y-tiptap produce). */
export type PmNode = {
	type: string;
	attrs?: Record<string, unknown>;
	content?: PmNode[];
	text?: string;
	marks?: { type: string; attrs?: Record<string, unknown> }[];
};

type Mark = NonNullable<PmNode['marks']>[number];

/** The ProseMirror JSON of the draft text (the editor binds the XmlFragment named 'default'). */
export function docToJson(doc: Y.Doc): PmNode {
	let json: PmNode;
	try {
		json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment('default')) as PmNode;
	} catch (error) {
		// Only a document nested far deeper than any editor makes overflows the stack here.
		if (error instanceof RangeError) throw new DomainError('invalid_input', 'document nested too deeply');
		throw error;
	}
	return tidy(json);
}

/** Deeper than any real text (lists in lists in tables); what lies below is left out of renderings. */
const MAX_DEPTH = 60;

// y-tiptap gives every mark an attrs object, even an empty one; the editor's JSON omits it, so we do too and
// the hash does not depend on which of the two a text came from.
function tidy(node: PmNode, depth = 0): PmNode {
	const out: PmNode = { ...node };
	if (node.content) out.content = depth >= MAX_DEPTH ? [] : node.content.flat().map((c) => tidy(c, depth + 1));
	if (node.type === 'doc' && !node.content) out.content = [];
	if (node.marks) {
		out.marks = node.marks.map((m) => (m.attrs && Object.keys(m.attrs).length ? { type: m.type, attrs: m.attrs } : { type: m.type }));
	}
	return out;
}

// ---- Plain text and hashing ----

const LISTS = new Set(['bulletList', 'orderedList']);
const CELLS = new Set(['tableCell', 'tableHeader']);

/** A node's text; inline content is joined as is, blocks with line breaks. */
function textOf(node: PmNode): string {
	if (node.type === 'text') return node.text ?? '';
	if (node.type === 'hardBreak') return '\n';
	const children = node.content ?? [];
	const inline = children.some((c) => c.type === 'text' || c.type === 'hardBreak');
	return children.map(textOf).join(inline ? '' : '\n');
}

/**
 * The plain text of each block (paragraph, heading, code block, list item, table cell) in reading order, with
 * whitespace collapsed; empty blocks are left out. Word diffs run over these, so a block is the unit a reader
 * recognises: a list item's own text is one block and its nested lists follow as blocks of their own.
 */
export function blocksOf(json: PmNode): string[] {
	const blocks: string[] = [];
	const push = (text: string) => {
		const normal = text.replace(/\s+/gu, ' ').trim();
		if (normal) blocks.push(normal);
	};
	const walk = (node: PmNode): void => {
		if (node.type === 'listItem') {
			let own: string[] = [];
			for (const child of node.content ?? []) {
				if (!LISTS.has(child.type)) {
					own.push(textOf(child));
					continue;
				}
				push(own.join(' '));
				own = [];
				walk(child);
			}
			push(own.join(' '));
		} else if (CELLS.has(node.type) || node.content?.some((c) => c.type === 'text' || c.type === 'hardBreak')) {
			push(textOf(node));
		} else {
			node.content?.forEach(walk);
		}
	};
	walk(json);
	return blocks;
}

/** The text as plain paragraphs separated by blank lines. */
export function toPlainText(json: PmNode): string {
	return blocksOf(json).join('\n\n');
}

// Keys sorted at every level, so two equal documents serialise (and hash) the same whatever order their
// attributes were set in.
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** SHA-256 (hex) of the content in a canonical serialisation. */
export function contentHash(json: PmNode): string {
	return createHash('sha256').update(canonical(json)).digest('hex');
}

// ---- Shared helpers ----

function hasMark(node: PmNode, type: string): boolean {
	return node.marks?.some((m) => m.type === type) ?? false;
}

/** A link's target when it is one we are willing to emit: absolute http(s) or mailto. */
function safeHref(node: PmNode): string | null {
	const mark = node.marks?.find((m: Mark) => m.type === 'link');
	const href = mark?.attrs?.href;
	if (typeof href !== 'string') return null;
	try {
		const url = new URL(href.trim());
		return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
	} catch {
		return null;
	}
}

/** Consecutive inline nodes grouped by the link they share (null: no usable link), so one link is one anchor. */
function byLink(nodes: PmNode[]): { href: string | null; nodes: PmNode[] }[] {
	const groups: { href: string | null; nodes: PmNode[] }[] = [];
	for (const node of nodes) {
		const href = node.type === 'text' ? safeHref(node) : null;
		const last = groups[groups.length - 1];
		if (last && last.href === href) last.nodes.push(node);
		else groups.push({ href, nodes: [node] });
	}
	return groups;
}

function headingLevel(node: PmNode): number {
	const level = Number(node.attrs?.level);
	return Number.isInteger(level) ? Math.min(Math.max(level, 1), 6) : 1;
}

function listStart(node: PmNode): number {
	const start = Number(node.attrs?.start ?? 1);
	return Number.isInteger(start) && start >= 0 ? start : 1;
}

/** Bounded: a writer can store any number in a cell's attributes, and exports allocate by it. */
const MAX_SPAN = 100;
function span(node: PmNode, name: 'colspan' | 'rowspan'): number {
	const n = Number(node.attrs?.[name] ?? 1);
	return Number.isInteger(n) && n > 1 ? Math.min(n, MAX_SPAN) : 1;
}

// ---- Markdown ----

export function escapeMd(text: string): string {
	return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/&(?=#?\w+;)/g, '\\&');
}

// Characters that only mean something at the start of a line (headings, quotes, list markers, setext rules).
// Edge spaces go too: four leading ones would start a code block, two trailing ones a line break.
function guardLines(text: string): string {
	return text
		.split('\n')
		.map((line) => line.replace(/^[ \t]+|[ \t]+$/g, '').replace(/^[#>+=-]/, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2'))
		.join('\n');
}

function codeSpan(text: string): string {
	const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
	const fence = '`'.repeat(longest + 1);
	const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
	return `${fence}${pad}${text}${pad}${fence}`;
}

// Delimiters cannot sit next to whitespace on their inner side, so edge spaces move outside them.
function wrap(text: string, delimiter: string): string {
	const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/u.exec(text)!;
	return core ? `${lead}${delimiter}${core}${delimiter}${trail}` : text;
}

function mdInline(nodes: PmNode[] = [], inTable = false): string {
	const piece = (node: PmNode): string => {
		if (node.type === 'hardBreak') return inTable ? ' ' : '\\\n';
		if (node.type !== 'text') return escapeMd(textOf(node));
		const raw = node.text ?? '';
		let out = hasMark(node, 'code') ? codeSpan(inTable ? raw.replace(/\|/g, '\\|') : raw) : escapeMd(raw);
		if (hasMark(node, 'strike')) out = wrap(out, '~~');
		if (hasMark(node, 'italic')) out = wrap(out, '*');
		if (hasMark(node, 'bold')) out = wrap(out, '**');
		return out;
	};
	return byLink(nodes)
		.map(({ href, nodes: group }) => {
			const inner = group.map(piece).join('');
			return href ? `[${inner}](${href.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : inner;
		})
		.join('');
}

function mdTable(node: PmNode): string {
	const rows = (node.content ?? []).map((row) =>
		(row.content ?? []).flatMap((cell) => {
			const text = (cell.content ?? []).map((block) => mdInline(block.content, true)).join(' ').trim();
			return [text, ...Array<string>(span(cell, 'colspan') - 1).fill('')];
		})
	);
	if (!rows.length) return '';
	const width = Math.max(1, ...rows.map((r) => r.length));
	const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
	return [line(rows[0]), line(Array<string>(width).fill('---')), ...rows.slice(1).map(line)].join('\n');
}

function mdList(node: PmNode, alternate: boolean): string {
	const ordered = node.type === 'orderedList';
	let n = listStart(node);
	return (node.content ?? [])
		.map((item) => {
			const marker = ordered ? `${n++}${alternate ? ')' : '.'} ` : alternate ? '* ' : '- ';
			const body = mdBlocks(item.content, true);
			if (!body) return marker.trimEnd();
			const pad = ' '.repeat(marker.length);
			return body
				.split('\n')
				.map((line, i) => (i === 0 ? marker + line : line ? pad + line : ''))
				.join('\n');
		})
		.join('\n');
}

function mdBlock(node: PmNode, alternate: boolean): string {
	switch (node.type) {
		case 'paragraph':
			return guardLines(mdInline(node.content));
		case 'heading': {
			const text = mdInline(node.content?.map((c) => (c.type === 'hardBreak' ? { type: 'text', text: ' ' } : c)));
			// A trailing run of # would be read as the heading's closing sequence.
			return `${'#'.repeat(headingLevel(node))} ${text.replace(/^[ \t]+/, '').replace(/#(?=\s*$)/, '\\#')}`.trimEnd();
		}
		case 'bulletList':
		case 'orderedList':
			return mdList(node, alternate);
		case 'blockquote':
			return mdBlocks(node.content)
				.split('\n')
				.map((line) => (line ? `> ${line}` : '>'))
				.join('\n');
		case 'codeBlock': {
			const text = textOf(node);
			const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
			const fence = '`'.repeat(longest + 1);
			const language = typeof node.attrs?.language === 'string' && /^[\w+#.-]+$/.test(node.attrs.language) ? node.attrs.language : '';
			return `${fence}${language}\n${text}\n${fence}`;
		}
		case 'horizontalRule':
			return '---';
		case 'table':
			return mdTable(node);
		default:
			return node.content?.some((c) => c.type === 'text' || c.type === 'hardBreak') ? guardLines(mdInline(node.content)) : mdBlocks(node.content);
	}
}

// Two lists of the same kind in a row would merge into one, so the second switches marker (- and *, . and )).
// Inside a list item a nested list follows its paragraph directly, keeping the list tight, unless it is an
// ordered list not starting at 1, which cannot interrupt a paragraph.
function mdBlocks(nodes: PmNode[] = [], inItem = false): string {
	let out = '';
	let previous: PmNode | null = null;
	let alternate = false;
	for (const node of nodes) {
		alternate = previous !== null && LISTS.has(node.type) && previous.type === node.type ? !alternate : false;
		const text = mdBlock(node, alternate);
		if (!text) continue;
		const tight = inItem && LISTS.has(node.type) && !(node.type === 'orderedList' && listStart(node) !== 1);
		out += out ? (tight ? '\n' : '\n\n') + text : text;
		previous = node;
	}
	return out;
}

/** The text as CommonMark with GitHub tables and strike-through; all text is escaped to stay literal. */
export function toMarkdown(json: PmNode): string {
	const out = mdBlocks(json.content);
	return out ? `${out}\n` : '';
}

// ---- HTML ----

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

function htmlInline(nodes: PmNode[] = []): string {
	const piece = (node: PmNode): string => {
		if (node.type === 'hardBreak') return '<br>';
		let out = escapeHtml(node.type === 'text' ? (node.text ?? '') : textOf(node));
		if (hasMark(node, 'code')) out = `<code>${out}</code>`;
		if (hasMark(node, 'underline')) out = `<u>${out}</u>`;
		if (hasMark(node, 'strike')) out = `<s>${out}</s>`;
		if (hasMark(node, 'italic')) out = `<em>${out}</em>`;
		if (hasMark(node, 'bold')) out = `<strong>${out}</strong>`;
		return out;
	};
	return byLink(nodes)
		.map(({ href, nodes: group }) => {
			const inner = group.map(piece).join('');
			return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${inner}</a>` : inner;
		})
		.join('');
}

function htmlCell(cell: PmNode): string {
	const tag = cell.type === 'tableHeader' ? 'th' : 'td';
	const colspan = span(cell, 'colspan');
	const rowspan = span(cell, 'rowspan');
	const attrs = `${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
	return `<${tag}${attrs}>${htmlBlocks(cell.content)}</${tag}>`;
}

function htmlBlock(node: PmNode): string {
	const inner = () => htmlBlocks(node.content);
	switch (node.type) {
		case 'paragraph':
			return `<p>${htmlInline(node.content)}</p>`;
		case 'heading': {
			// The document title is the page's h1, so the text's own headings start one level lower.
			const level = Math.min(headingLevel(node) + 1, 6);
			return `<h${level}>${htmlInline(node.content)}</h${level}>`;
		}
		case 'bulletList':
			return `<ul>${inner()}</ul>`;
		case 'orderedList': {
			const start = listStart(node);
			return `<ol${start !== 1 ? ` start="${start}"` : ''}>${inner()}</ol>`;
		}
		case 'listItem':
			return `<li>${inner()}</li>`;
		case 'blockquote':
			return `<blockquote>${inner()}</blockquote>`;
		case 'codeBlock': {
			const language = typeof node.attrs?.language === 'string' && /^[\w+#.-]+$/.test(node.attrs.language) ? node.attrs.language : '';
			return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(textOf(node))}</code></pre>`;
		}
		case 'horizontalRule':
			return '<hr>';
		case 'table': {
			const rows = (node.content ?? []).map((row) => `<tr>${(row.content ?? []).map(htmlCell).join('')}</tr>`);
			const first = node.content?.[0]?.content ?? [];
			const head = first.length > 0 && first.every((c) => c.type === 'tableHeader');
			const body = `<tbody>${rows.slice(head ? 1 : 0).join('')}</tbody>`;
			return `<table>${head ? `<thead>${rows[0]}</thead>` : ''}${body}</table>`;
		}
		default:
			return node.content?.some((c) => c.type === 'text' || c.type === 'hardBreak') ? `<p>${htmlInline(node.content)}</p>` : inner();
	}
}

function htmlBlocks(nodes: PmNode[] = []): string {
	return nodes.map(htmlBlock).join('\n');
}

const STYLE = `
body { font: 11pt/1.5 "DejaVu Sans", system-ui, sans-serif; color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8em; margin: 0 0 1rem; }
h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.4em 0 .5em; }
a { color: #0645ad; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #ccc; color: #444; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .92em; }
pre { background: #f4f4f4; padding: .6em .8em; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #888; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
th p, td p { margin: 0; }
@page { size: A4; margin: 2cm; }
@media print {
	body { max-width: none; margin: 0; padding: 0; }
	a { color: inherit; }
	h1, h2, h3, h4, h5, h6 { break-after: avoid; }
	tr, pre, blockquote { break-inside: avoid; }
}
`.trim();

/** The text's body as escaped HTML, for showing inside a page that has its own h1 (headings start at h2). */
export function toHtmlFragment(json: PmNode): string {
	return htmlBlocks(json.content);
}

/** A standalone HTML5 document of the text; content is always escaped and only http(s)/mailto links survive. */
export function toHtml(json: PmNode, opts: { title: string; lang: string }): string {
	const title = escapeHtml(opts.title);
	return [
		'<!doctype html>',
		`<html lang="${escapeHtml(opts.lang)}">`,
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${title}</title>`,
		`<style>\n${STYLE}\n</style>`,
		'</head>',
		'<body>',
		'<main>',
		`<h1>${title}</h1>`,
		toHtmlFragment(json),
		'</main>',
		'</body>',
		'</html>',
		''
	].join('\n');
}

// ---- PDF ----

const FONT_FILES = {
	Sans: 'DejaVuSans.ttf',
	'Sans-Bold': 'DejaVuSans-Bold.ttf',
	'Sans-Oblique': 'DejaVuSans-Oblique.ttf',
	'Sans-BoldOblique': 'DejaVuSans-BoldOblique.ttf',
	Mono: 'DejaVuSansMono.ttf'
} as const;
type FontName = keyof typeof FONT_FILES;

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

const MARGIN = 56; // about 2 cm
const BODY = 11;
const CODE = 9.5;
const HEADING = [20, 16, 14, 12.5, 11.5, 11];
const GUTTER = 18;
const TEXT = '#111111';
const MUTED = '#555555';
const LINK = '#0645ad';
const BULLETS = ['•', '◦', '▪'];

type Doc = PDFKit.PDFDocument;
type Context = { indent: number; depth: number; tight: boolean };
type Span = { text: string; font: FontName; link: string | null; underline: boolean; strike: boolean };

/** The lines of a block (split at hard breaks and newlines), each a run of differently styled spans. */
function linesOf(nodes: PmNode[] = [], bold = false): Span[][] {
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
			if (node.content?.some((c) => c.type === 'text' || c.type === 'hardBreak')) {
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
			const ctx: Context = { indent: 0, depth: 0, tight: false };
			doc.font('Sans-Bold').fontSize(22).fillColor(TEXT).text(opts.title, MARGIN, MARGIN, { width: contentWidth(doc, ctx) });
			if (opts.subtitle) doc.moveDown(0.2).font('Sans').fontSize(10).fillColor(MUTED).text(opts.subtitle, { width: contentWidth(doc, ctx) });
			doc.fillColor(TEXT);
			doc.y += BODY * 1.2;
			pdfBlocks(doc, json.content, ctx);

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
			doc.end();
		} catch (err) {
			reject(err);
		}
	});
}
