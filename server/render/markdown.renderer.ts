import { byLink, codeLanguage, hasMark, headingLevel, holdsText, LISTS, listStart, span, textOf, type PmNode } from './prosemirror-json.js';

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
			const language = codeLanguage(node);
			return `${fence}${language}\n${text}\n${fence}`;
		}
		case 'horizontalRule':
			return '---';
		case 'table':
			return mdTable(node);
		default:
			return holdsText(node) ? guardLines(mdInline(node.content)) : mdBlocks(node.content);
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
