import { callOrReturn, getExtensionField, Node, type Editor } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';

/** A column's narrowest, TipTap's Table's cellMinWidth. */
const CELL_MIN_WIDTH = 25;

/**
 * A table's columns and its own width as TipTap's Table (not resizable) draws them: each column its set width (a
 * pasted table may bring some) or at least a cell's narrowest, the table as wide as all of them when every width is
 * set, else at least that wide.
 */
export function layoutOf(table: PmNode): { cols: string[]; style: string } {
	const cols: string[] = [];
	let total = 0;
	let fixed = true;
	table.firstChild?.forEach((cell) => {
		for (let i = 0; i < cell.attrs.colspan; i++) {
			const width = (cell.attrs.colwidth as number[] | null)?.[i];
			total += width || CELL_MIN_WIDTH;
			fixed &&= !!width;
			cols.push(width ? `width: ${Math.max(width, CELL_MIN_WIDTH)}px` : `min-width: ${CELL_MIN_WIDTH}px`);
		}
	});
	return { cols, style: fixed ? `width: ${total}px` : `min-width: ${total}px` };
}

/**
 * The table node of TipTap's Table, drawn the same, without its editing: prosemirror-tables (cell selection, Tab
 * between cells) and the toolbar's table commands come from table-editing.ts, loaded when the text is first focused
 * or a table tool used. Texts are read and followed live before that, tables included, for a tenth less script.
 */
export const TableNode = Node.create({
	name: 'table',
	content: 'tableRow+',
	tableRole: 'table',
	isolating: true,
	group: 'block',
	parseHTML: () => [{ tag: 'table' }],
	renderHTML({ node }) {
		const { cols, style } = layoutOf(node);
		return ['table', { style }, ['colgroup', {}, ...cols.map((col) => ['col', { style: col }])], ['tbody', 0]];
	},
	addNodeView() {
		return ({ node }) => {
			const dom = document.createElement('div');
			dom.className = 'tableWrapper';
			const table = dom.appendChild(document.createElement('table'));
			const colgroup = table.appendChild(document.createElement('colgroup'));
			const contentDOM = table.appendChild(document.createElement('tbody'));
			const draw = (next: PmNode) => {
				const { cols, style } = layoutOf(next);
				table.style.cssText = style;
				colgroup.replaceChildren(
					...cols.map((css) => {
						const col = document.createElement('col');
						col.style.cssText = css;
						return col;
					})
				);
			};
			draw(node);
			return {
				dom,
				contentDOM,
				update: (next: PmNode) => next.type === node.type && (draw(next), true),
				// The wrapper and the columns are drawn here; only what happens in the rows is the text's.
				ignoreMutation: (mutation) => mutation.type !== 'selection' && !contentDOM.contains(mutation.target)
			};
		};
	},
	// Every table node's role, in its spec, where prosemirror-tables looks for it.
	extendNodeSchema: (extension) => ({
		tableRole: callOrReturn(getExtensionField(extension, 'tableRole', { name: extension.name, options: extension.options, storage: extension.storage }))
	}),
	onFocus() {
		void withTableEditing(this.editor);
	}
});

/** Switches table editing on for `editor`, loading it the first time (table-editing.ts). */
const withTableEditing = (editor: Editor) => import('./table-editing').then((editing) => (editing.enable(editor), editing.tableCommands));

/** Runs one of the toolbar's table commands on `editor`, with table editing switched on. */
export const runTableCommand = (editor: Editor, command: keyof typeof import('./table-editing').tableCommands) =>
	withTableEditing(editor).then((commands) => editor.chain().focus().command(({ state, dispatch }) => commands[command](state, dispatch)).run());
