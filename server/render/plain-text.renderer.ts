import { CELLS, holdsText, LISTS, textOf, type PmNode } from './prosemirror-json.js';

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
		} else if (CELLS.has(node.type) || holdsText(node)) {
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
