import type { AnyExtension } from '@tiptap/core';
import { Blockquote } from '@tiptap/extension-blockquote';
import { Bold } from '@tiptap/extension-bold';
import { Code } from '@tiptap/extension-code';
import { CodeBlock } from '@tiptap/extension-code-block';
import { Document } from '@tiptap/extension-document';
import { HardBreak } from '@tiptap/extension-hard-break';
import { Heading } from '@tiptap/extension-heading';
import { HorizontalRule } from '@tiptap/extension-horizontal-rule';
import { Italic } from '@tiptap/extension-italic';
import { BulletList } from '@tiptap/extension-list/bullet-list';
import { ListItem } from '@tiptap/extension-list/item';
import { ListKeymap } from '@tiptap/extension-list/keymap';
import { OrderedList } from '@tiptap/extension-list/ordered-list';
import { Paragraph } from '@tiptap/extension-paragraph';
import { Strike } from '@tiptap/extension-strike';
import { TableCell } from '@tiptap/extension-table/cell';
import { TableHeader } from '@tiptap/extension-table/header';
import { TableRow } from '@tiptap/extension-table/row';
import { Text } from '@tiptap/extension-text';
import { Underline } from '@tiptap/extension-underline';
import { Dropcursor } from '@tiptap/extensions/drop-cursor';
import { Gapcursor } from '@tiptap/extensions/gap-cursor';
import { TrailingNode } from '@tiptap/extensions/trailing-node';
import { LinkMark } from './link-mark';
import { TableNode } from './table-node';

/**
 * What a draft's text is made of: StarterKit's extensions, in its order (which is the schema's order of nodes and
 * marks), and tables. Each comes from its own module: a bundler keeps every `Node.create(...)` of a module it loads,
 * and StarterKit's brought all it can turn on, and through the index modules of @tiptap/extension-list and
 * @tiptap/extensions their task lists, placeholder, character count and focus too, used or not. StarterKit's undo is
 * left out (Collaboration's follows the Yjs document) and its Link is replaced by LinkMark.
 */
export const textExtensions = (): AnyExtension[] => [
	Bold,
	Blockquote,
	BulletList,
	Code,
	CodeBlock,
	Document,
	Dropcursor,
	Gapcursor,
	HardBreak,
	Heading,
	HorizontalRule,
	Italic,
	ListItem,
	ListKeymap,
	LinkMark,
	OrderedList,
	Paragraph,
	Strike,
	Text,
	Underline,
	TrailingNode,
	TableNode,
	TableRow,
	TableHeader,
	TableCell
];
