import { byLink, codeLanguage, hasMark, headingLevel, holdsText, listStart, span, textOf, type PmNode } from './prosemirror-json.js';

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

function htmlCell(cell: PmNode, shift: number): string {
	const tag = cell.type === 'tableHeader' ? 'th' : 'td';
	const colspan = span(cell, 'colspan');
	const rowspan = span(cell, 'rowspan');
	const attrs = `${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
	return `<${tag}${attrs}>${htmlBlocks(cell.content, shift)}</${tag}>`;
}

function htmlBlock(node: PmNode, shift: number): string {
	const inner = () => htmlBlocks(node.content, shift);
	switch (node.type) {
		case 'paragraph':
			return `<p>${htmlInline(node.content)}</p>`;
		case 'heading': {
			// `shift`: in a document or page whose title is the h1, the text's own headings start one level lower.
			const level = Math.min(headingLevel(node) + shift, 6);
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
			const language = codeLanguage(node);
			return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(textOf(node))}</code></pre>`;
		}
		case 'horizontalRule':
			return '<hr>';
		case 'table': {
			const rows = (node.content ?? []).map((row) => `<tr>${(row.content ?? []).map((cell) => htmlCell(cell, shift)).join('')}</tr>`);
			const first = node.content?.[0]?.content ?? [];
			const head = first.length > 0 && first.every((c) => c.type === 'tableHeader');
			const body = `<tbody>${rows.slice(head ? 1 : 0).join('')}</tbody>`;
			return `<table>${head ? `<thead>${rows[0]}</thead>` : ''}${body}</table>`;
		}
		default:
			return holdsText(node) ? `<p>${htmlInline(node.content)}</p>` : inner();
	}
}

function htmlBlocks(nodes: PmNode[] = [], shift = 1): string {
	return nodes.map((node) => htmlBlock(node, shift)).join('\n');
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

/** The text's body as the editor shows it (headings at the levels the editor gives them), escaped. */
export function toEditorHtml(json: PmNode): string {
	return htmlBlocks(json.content, 0);
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
