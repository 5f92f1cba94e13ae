import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { DomainError } from '../../src/lib/shared/errors.js';
import { safeHref } from '../../src/lib/shared/links.js';
import { SUGGESTION } from '../../src/lib/shared/suggestions.js';

// A draft's text lives in a Y.Doc edited through TipTap (StarterKit + tables). Everything a reader gets from it
// (plain text for diffs, a hash for versions, Markdown/HTML/PDF exports) is rendered in server/render/ from the
// ProseMirror JSON, by hand: no editor schema on the server, and nothing from the content is ever passed through
// as markup. This module reads that JSON and holds what the renderers share.

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

/** ProseMirror JSON of a document state (one Yjs update). */
export function jsonOf(state: Uint8Array): PmNode {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return docToJson(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * The text without its pending suggestions, as it stands until a steward accepts any: the words proposed for
 * insertion left out, the words proposed for removal kept (without their mark). What a version, a hash or an export
 * takes; the editor shows the suggestions, from the Yjs document itself. A suggestion mark of any shape counts (a
 * malformed one too: its words are kept, unless it says it is an insertion).
 */
export function withoutSuggestions(node: PmNode): PmNode {
	const out: PmNode = { ...node };
	if (node.marks?.some((m) => m.type === SUGGESTION)) {
		const marks = node.marks.filter((m) => m.type !== SUGGESTION);
		if (marks.length) out.marks = marks;
		else delete out.marks;
	}
	if (node.content) {
		const kept = node.content.filter((c) => !(c.text !== undefined && c.marks?.some((m) => m.type === SUGGESTION && m.attrs?.kind === 'insert'))).map(withoutSuggestions);
		// Words that differed only by a suggestion mark are one run again, as they would be had nobody suggested
		// anything: the hash of a text does not depend on suggestions made on it and rejected.
		out.content = [];
		for (const c of kept) {
			const last = out.content.at(-1);
			if (last?.text !== undefined && c.text !== undefined && JSON.stringify(last.marks ?? []) === JSON.stringify(c.marks ?? [])) out.content[out.content.length - 1] = { ...last, text: last.text + c.text };
			else out.content.push(c);
		}
	}
	return out;
}

/** How deep nodes may nest: deeper than any real text (lists in lists in tables); what lies below is left out of renderings. */
const MAX_NESTING = 60;

// y-tiptap gives every mark an attrs object, even an empty one; the editor's JSON omits it, so we do too and
// the hash does not depend on which of the two a text came from.
function tidy(node: PmNode, depth = 0): PmNode {
	const out: PmNode = { ...node };
	if (node.content) out.content = depth >= MAX_NESTING ? [] : node.content.flat().map((c) => tidy(c, depth + 1));
	if (node.type === 'doc' && !node.content) out.content = [];
	if (node.marks) {
		out.marks = node.marks.map((m) => (m.attrs && Object.keys(m.attrs).length ? { type: m.type, attrs: m.attrs } : { type: m.type }));
	}
	return out;
}

export const LISTS = new Set(['bulletList', 'orderedList']);
export const CELLS = new Set(['tableCell', 'tableHeader']);

/** A block whose children are text (a paragraph, a heading, or a block of a kind the renderers do not know). */
export function holdsText(node: PmNode): boolean {
	return node.content?.some((c) => c.type === 'text' || c.type === 'hardBreak') ?? false;
}

/** A node's text; inline content is joined as is, blocks with line breaks. */
export function textOf(node: PmNode): string {
	if (node.type === 'text') return node.text ?? '';
	if (node.type === 'hardBreak') return '\n';
	const children = node.content ?? [];
	return children.map(textOf).join(holdsText(node) ? '' : '\n');
}

export function hasMark(node: PmNode, type: string): boolean {
	return node.marks?.some((m) => m.type === type) ?? false;
}

/** A link's target when it is one we are willing to emit: absolute http(s) or mailto. */
function linkOf(node: PmNode): string | null {
	return safeHref(node.marks?.find((m: Mark) => m.type === 'link')?.attrs?.href);
}

/** Consecutive inline nodes grouped by the link they share (null: no usable link), so one link is one anchor. */
export function byLink(nodes: PmNode[]): { href: string | null; nodes: PmNode[] }[] {
	const groups: { href: string | null; nodes: PmNode[] }[] = [];
	for (const node of nodes) {
		const href = node.type === 'text' ? linkOf(node) : null;
		const last = groups[groups.length - 1];
		if (last && last.href === href) last.nodes.push(node);
		else groups.push({ href, nodes: [node] });
	}
	return groups;
}

export function headingLevel(node: PmNode): number {
	const level = Number(node.attrs?.level);
	return Number.isInteger(level) ? Math.min(Math.max(level, 1), 6) : 1;
}

export function listStart(node: PmNode): number {
	const start = Number(node.attrs?.start ?? 1);
	return Number.isInteger(start) && start >= 0 ? start : 1;
}

/** Bounded: a writer can store any number in a cell's attributes, and exports allocate by it. */
const MAX_SPAN = 100;
export function span(node: PmNode, name: 'colspan' | 'rowspan'): number {
	const n = Number(node.attrs?.[name] ?? 1);
	return Number.isInteger(n) && n > 1 ? Math.min(n, MAX_SPAN) : 1;
}

/** A code block's language, when it is a plain name (it ends up in a fence or a class attribute). */
export function codeLanguage(node: PmNode): string {
	return typeof node.attrs?.language === 'string' && /^[\w+#.-]+$/.test(node.attrs.language) ? node.attrs.language : '';
}
