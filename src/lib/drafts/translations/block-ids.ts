import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTION } from '$lib/shared/suggestions';
import { BLOCK_ID, blockIdFixes } from '$lib/shared/translations';

/** The top-level blocks of the editor's schema: each carries a block id (src/lib/shared/translations.ts). */
const TOP = ['paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'codeBlock', 'horizontalRule', 'table'];

/** A change this editor made (a peer's, or the text arriving, comes through the Yjs binding). */
const ownChange = (t: Transaction) => t.docChanged && !(t.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;

/**
 * Block ids on the text's top-level blocks, so translations stay aligned to it paragraph by paragraph. A split
 * leaves the id on the first half (the attribute is not kept on split); after every change, an editable editor
 * gives a new id to each block without one and to every later copy of an id (blockIdFixes), in a step of its own
 * that undo skips. Only after its own changes: opening a text writes nothing (the editor's empty first paragraph
 * would otherwise reach the text before it arrives), and readers never write.
 */
export const BlockIds = Extension.create({
	name: 'blockIds',
	addGlobalAttributes() {
		return [
			{
				types: TOP,
				attributes: {
					[BLOCK_ID]: {
						default: null,
						keepOnSplit: false,
						parseHTML: (element) => element.getAttribute('data-bid'),
						renderHTML: (attributes) => (attributes[BLOCK_ID] ? { 'data-bid': attributes[BLOCK_ID] } : {})
					}
				}
			}
		];
	},
	addProseMirrorPlugins() {
		const editor = this.editor;
		return [
			new Plugin({
				key: new PluginKey('blockIds'),
				appendTransaction(transactions, _old, state) {
					if (!editor.isEditable || !transactions.some(ownChange)) return null;
					// While suggesting, the text's blocks are not this editor's to change: the server takes only
					// suggestions from a suggester (server/domain/suggestions.ts) and would refuse a block's new id.
					const suggestion = editor.extensionManager.extensions.find((e) => e.name === SUGGESTION);
					if ((suggestion?.options as { suggesting?: () => boolean } | undefined)?.suggesting?.()) return null;
					const ids: unknown[] = [];
					state.doc.forEach((node) => void ids.push(node.attrs[BLOCK_ID]));
					const fixes = blockIdFixes(ids);
					if (fixes.every((f) => f === null)) return null;
					const tr = state.tr;
					state.doc.forEach((node, offset, index) => {
						if (fixes[index] && BLOCK_ID in (node.type.spec.attrs ?? {})) tr.setNodeAttribute(offset, BLOCK_ID, fixes[index]);
					});
					return tr.docChanged ? tr.setMeta('addToHistory', false) : null;
				}
			})
		];
	}
});
