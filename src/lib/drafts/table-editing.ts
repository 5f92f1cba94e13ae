import type { CommandProps, Editor } from '@tiptap/core';
import { keymap } from '@tiptap/pm/keymap';
import type { NodeType } from '@tiptap/pm/model';
import { TextSelection, type Command, type Plugin } from '@tiptap/pm/state';
import { addColumnAfter, addRowAfter, CellSelection, deleteTable, goToNextCell, tableEditing } from '@tiptap/pm/tables';

/**
 * The editing of tables, as TipTap's Table did it (table-node.ts draws them): loaded only once someone is about to
 * edit, since prosemirror-tables is a tenth of the editor's script.
 */

/** A new table where the selection is, three by three under a row of headers, the cursor in its first cell. */
const insertTable: Command = (state, dispatch) => {
	const { table, tableRow, tableHeader, tableCell } = state.schema.nodes;
	const row = (cell: NodeType) => tableRow.createChecked(null, [cell.createAndFill()!, cell.createAndFill()!, cell.createAndFill()!]);
	if (dispatch) {
		const tr = state.tr;
		const offset = tr.selection.from + 1;
		tr.replaceSelectionWith(table.createChecked(null, [row(tableHeader), row(tableCell), row(tableCell)]));
		dispatch(tr.scrollIntoView().setSelection(TextSelection.near(tr.doc.resolve(offset))));
	}
	return true;
};

/** The toolbar's table commands. */
export const tableCommands = { insertTable, addRowAfter, addColumnAfter, deleteTable };

/** Whether every cell of a table is selected (then Backspace or Delete takes the table away, not just its text). */
function wholeTableSelected({ selection }: Editor['state']): boolean {
	if (!(selection instanceof CellSelection)) return false;
	const $cell = selection.$anchorCell;
	const table = $cell.node($cell.depth - 1);
	let cells = 0;
	table.descendants((node) => {
		if (node.type.name === 'tableCell' || node.type.name === 'tableHeader') cells++;
		return node.type.name === 'tableRow';
	});
	return cells === selection.ranges.length;
}

const enabled = new WeakSet<Editor>();

/**
 * Switches table editing on for `editor`, once: prosemirror-tables' plugin (cell selection, arrows across cells) and
 * TipTap's Table keys (Tab to the next cell or a new row, Shift-Tab back, Backspace and Delete on a whole table).
 * Both go before the other plugins, as TipTap's Table's went before StarterKit's.
 */
export function enable(editor: Editor): void {
	if (enabled.has(editor) || editor.isDestroyed) return;
	enabled.add(editor);
	const run = (command: Command) => (props: CommandProps) => command(props.state, props.dispatch);
	const removeTable = () => wholeTableSelected(editor.state) && editor.commands.command(run(deleteTable));
	const keys = keymap({
		Tab: () =>
			editor.commands.command(run(goToNextCell(1))) ||
			(editor.can().command(run(addRowAfter)) && editor.chain().command(run(addRowAfter)).command(run(goToNextCell(1))).run()),
		'Shift-Tab': () => editor.commands.command(run(goToNextCell(-1))),
		Backspace: removeTable,
		'Mod-Backspace': removeTable,
		Delete: removeTable,
		'Mod-Delete': removeTable
	});
	const first = (plugin: Plugin, plugins: Plugin[]) => [plugin, ...plugins];
	editor.registerPlugin(tableEditing({ allowTableNodeSelection: false }), first);
	editor.registerPlugin(keys, first);
}
