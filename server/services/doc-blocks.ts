import * as Y from 'yjs';

/** A block of a co-edited document, as the server writes one: a heading, a paragraph, a list or a table. */
export type Block = { h: 1 | 2 | 3; text: string } | { p: string } | { ul: string[] } | { table: string[][] };

/** Appends blocks as the editor's binding stores them: ProseMirror nodes as Y.XmlElements, text in Y.XmlText. */
export function appendBlocks(doc: Y.Doc, blocks: Block[]): void {
	const fragment = doc.getXmlFragment('default');
	const paragraph = (text: string, name = 'paragraph', attrs: Record<string, string> = {}) => {
		const el = new Y.XmlElement(name);
		for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
		el.insert(0, [new Y.XmlText(text)]);
		return el;
	};
	const wrap = (name: string, children: Y.XmlElement[]) => {
		const el = new Y.XmlElement(name);
		el.insert(0, children);
		return el;
	};
	const heading = (text: string, level: number) => {
		const el = paragraph(text, 'heading');
		// The level as the editor stores it, a number: a string ('2') is no level to the editor, which then shows the
		// heading as a first-level one while exports (and the page's server-rendered text) read it as the second.
		(el as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', level);
		return el;
	};
	for (const b of blocks) {
		if ('h' in b) fragment.push([heading(b.text, b.h)]);
		else if ('p' in b) fragment.push([paragraph(b.p)]);
		else if ('ul' in b) fragment.push([wrap('bulletList', b.ul.map((t) => wrap('listItem', [paragraph(t)])))]);
		else fragment.push([wrap('table', b.table.map((row, r) => wrap('tableRow', row.map((cell) => wrap(r === 0 ? 'tableHeader' : 'tableCell', [paragraph(cell)])))))]);
	}
}
