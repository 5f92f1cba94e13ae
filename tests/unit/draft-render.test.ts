import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentHash } from '../../server/render/content-hash.js';
import { toHtml, toHtmlFragment } from '../../server/render/html.renderer.js';
import { toMarkdown } from '../../server/render/markdown.renderer.js';
import { toPdf } from '../../server/render/pdf.renderer.js';
import { blocksOf, toPlainText } from '../../server/render/plain-text.renderer.js';
import { docToJson, type PmNode } from '../../server/render/prosemirror-json.js';

// The Yjs shape y-tiptap keeps for TipTap: one Y.XmlElement per node (attributes as-is), Y.XmlText for runs of
// text, and marks as formatting attributes on the text whose value is the mark's attrs ({} when it has none).
type Run = string | [string, Record<string, unknown>];
type Spec = { name: string; attrs?: Record<string, unknown>; children?: (Spec | Run[])[] };

function el(name: string, children: (Spec | Run[])[] = [], attrs?: Record<string, unknown>): Spec {
	return { name, attrs, children };
}
const p = (...runs: Run[]) => el('paragraph', [runs]);

function build(spec: Spec | Run[]): Y.XmlElement | Y.XmlText {
	if (Array.isArray(spec)) {
		const text = new Y.XmlText();
		text.applyDelta(spec.map((run) => (typeof run === 'string' ? { insert: run } : { insert: run[0], attributes: run[1] })));
		return text;
	}
	const node = new Y.XmlElement(spec.name);
	for (const [key, value] of Object.entries(spec.attrs ?? {})) node.setAttribute(key, value as string);
	node.insert(0, (spec.children ?? []).map(build));
	return node;
}

function ydoc(...blocks: Spec[]): Y.Doc {
	const doc = new Y.Doc();
	doc.getXmlFragment('default').insert(0, blocks.map((b) => build(b) as Y.XmlElement));
	return doc;
}

const json = (...blocks: Spec[]) => docToJson(ydoc(...blocks));
const ALBANIAN = 'Këshilli i Bashkisë shqyrton Çështja e ujit, ËÇ';
const GREEK = 'Η πολιτική για τα ύδατα: ά έ ή ί ό ύ ώ ΐ, τέλος';

describe('docToJson', () => {
	it('gives an empty doc for an empty fragment', () => {
		expect(docToJson(new Y.Doc())).toEqual({ type: 'doc', content: [] });
	});

	it('reads nodes, attributes and marks as the editor wrote them', () => {
		const link = { href: 'https://example.org/a', target: '_blank' };
		const out = json(
			el('heading', [['Titulli']], { level: 2 }),
			p('plain ', ['bold', { bold: {} }], ' ', ['both', { bold: {}, italic: {} }], ' ', ['site', { link }]),
			el('bulletList', [el('listItem', [p('one')])]),
			p('a', ['tagged', { 'comment--AbCd1234': { id: 7 } }])
		);
		expect(out.content).toEqual([
			{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Titulli' }] },
			{
				type: 'paragraph',
				content: [
					{ type: 'text', text: 'plain ' },
					{ type: 'text', text: 'bold', marks: [{ type: 'bold' }] },
					{ type: 'text', text: ' ' },
					{ type: 'text', text: 'both', marks: [{ type: 'bold' }, { type: 'italic' }] },
					{ type: 'text', text: ' ' },
					{ type: 'text', text: 'site', marks: [{ type: 'link', attrs: link }] }
				]
			},
			{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
			// Marks that may overlap are stored under a hashed key; the hash is dropped again.
			{ type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'tagged', marks: [{ type: 'comment', attrs: { id: 7 } }] }] }
		]);
	});
});

describe('blocksOf, toPlainText and contentHash', () => {
	const doc = json(
		el('heading', [[ALBANIAN]], { level: 1 }),
		p('  Një   ', ['fjali', { bold: {} }], '\tme  hapësira '),
		el('orderedList', [el('listItem', [p(GREEK), el('bulletList', [el('listItem', [p('nested')])])]), el('listItem', [p('two')])]),
		el('blockquote', [p('cited')]),
		el('paragraph'),
		el('codeBlock', [['let x = 1;\nlet y = 2;']], { language: 'js' }),
		el('table', [el('tableRow', [el('tableHeader', [p('A')]), el('tableCell', [p('b1'), p('b2')])])])
	);

	it('lists each block once, in order, with whitespace collapsed', () => {
		expect(blocksOf(doc)).toEqual([ALBANIAN, 'Një fjali me hapësira', GREEK, 'nested', 'two', 'cited', 'let x = 1; let y = 2;', 'A', 'b1 b2']);
		expect(toPlainText(doc)).toBe(blocksOf(doc).join('\n\n'));
	});

	it('hashes equal content equally, whatever the key order, and different content differently', () => {
		const a: PmNode = { type: 'doc', content: [{ type: 'heading', attrs: { level: 2, id: 'x' }, content: [{ type: 'text', text: 'Ç' }] }] };
		const b: PmNode = { content: [{ content: [{ text: 'Ç', type: 'text' }], attrs: { id: 'x', level: 2 }, type: 'heading' }], type: 'doc' };
		expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
		expect(contentHash(a)).toBe(contentHash(b));
		expect(contentHash(json(p('Ç', ['x', { bold: {} }])))).toBe(contentHash(json(p('Ç', ['x', { bold: {} }]))));
		expect(contentHash(json(p('Ç')))).not.toBe(contentHash(json(p('ç'))));
		expect(contentHash(json(p(['x', { bold: {} }])))).not.toBe(contentHash(json(p('x'))));
	});
});

describe('toMarkdown', () => {
	it('writes every node type', () => {
		const md = toMarkdown(
			json(
				el('heading', [['Kreu']], { level: 1 }),
				el('heading', [['Nën']], { level: 3 }),
				p(
					'a ',
					['b', { bold: {} }],
					' ',
					['i', { italic: {} }],
					' ',
					['s', { strike: {} }],
					' ',
					['c`d', { code: {} }],
					' ',
					['u', { underline: {} }],
					' ',
					['link', { link: { href: 'https://example.org/x y' } }]
				),
				el('paragraph', [['line one'], el('hardBreak'), ['line two']]),
				el('bulletList', [el('listItem', [p('one'), el('bulletList', [el('listItem', [p('deep')])])]), el('listItem', [p('two')])]),
				el('orderedList', [el('listItem', [p('third')]), el('listItem', [p('fourth')])], { start: 3 }),
				el('blockquote', [p('quoted'), p('more')]),
				el('codeBlock', [['const a = "*";\n```']], { language: 'ts' }),
				el('horizontalRule'),
				el('table', [
					el('tableRow', [el('tableHeader', [p('Emri')]), el('tableHeader', [p('Vlera')])]),
					el('tableRow', [el('tableCell', [p('a|b')]), el('tableCell', [p(['x', { bold: {} }])])])
				])
			)
		);
		expect(md).toBe(
			[
				'# Kreu',
				'### Nën',
				'a **b** *i* ~~s~~ ``c`d`` u [link](https://example.org/x%20y)',
				'line one\\\nline two',
				'- one\n  - deep\n- two',
				'3. third\n4. fourth',
				'> quoted\n>\n> more',
				'````ts\nconst a = "*";\n```\n````',
				'---',
				'| Emri | Vlera |\n| --- | --- |\n| a\\|b | **x** |'
			].join('\n\n') + '\n'
		);
	});

	it('escapes text so it stays literal', () => {
		const md = toMarkdown(
			json(p('*not bold* _nor_ [x](y) <b> `c` a|b ~~s~~ &amp;'), p('# not a heading'), p('1. not a list'), p('- nor this'), p('> nor this'))
		);
		expect(md).toBe(
			[
				'\\*not bold\\* \\_nor\\_ \\[x\\](y) \\<b\\> \\`c\\` a\\|b \\~\\~s\\~\\~ \\&amp;',
				'\\# not a heading',
				'1\\. not a list',
				'\\- nor this',
				'\\> nor this'
			].join('\n\n') + '\n'
		);
	});

	it('keeps two lists in a row apart and drops unsafe links to text', () => {
		const list = el('bulletList', [el('listItem', [p('x')])]);
		expect(toMarkdown(json(list, list))).toBe('- x\n\n* x\n');
		expect(toMarkdown(json(p(['click', { link: { href: 'javascript:alert(1)' } }])))).toBe('click\n');
	});
});

describe('toHtml', () => {
	it('is a standalone, escaped document', () => {
		const html = toHtml(
			json(
				el('heading', [['Kreu']], { level: 1 }),
				p(
					'<script>alert("x")</script> & ',
					['bad', { link: { href: 'javascript:alert(1)' } }],
					' ',
					['ok', { link: { href: 'https://example.org/?a=1&b="2"' } }]
				)
			),
			{ title: 'Plan <i>"A"</i>', lang: 'sq' }
		);
		expect(html).toMatch(/^<!doctype html>\n<html lang="sq">/);
		expect(html).toContain('<meta charset="utf-8">');
		expect(html).toContain('<title>Plan &lt;i&gt;&quot;A&quot;&lt;/i&gt;</title>');
		expect(html).toContain('<h1>Plan &lt;i&gt;&quot;A&quot;&lt;/i&gt;</h1>');
		expect(html).toContain('<h2>Kreu</h2>');
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; bad ');
		expect(html).not.toContain('<script');
		expect(html).not.toContain('javascript:');
		expect(html).toContain('<a href="https://example.org/?a=1&amp;b=%222%22" rel="noopener noreferrer">ok</a>');
	});

	it('renders lists, code, quotes and tables', () => {
		const html = toHtml(
			json(
				el('orderedList', [el('listItem', [p('x')])], { start: 5 }),
				el('codeBlock', [['a < b']], { language: 'js"><x' }),
				el('blockquote', [p(['q', { italic: {} }])]),
				el('table', [el('tableRow', [el('tableHeader', [p('H')])]), el('tableRow', [el('tableCell', [p('c')], { colspan: 2 })])])
			),
			{ title: 'T', lang: 'el' }
		);
		expect(html).toContain('<ol start="5"><li><p>x</p></li></ol>');
		expect(html).toContain('<pre><code>a &lt; b</code></pre>');
		expect(html).toContain('<blockquote><p><em>q</em></p></blockquote>');
		expect(toHtmlFragment(json(p('<b>x</b>')))).toBe('<p>&lt;b&gt;x&lt;/b&gt;</p>');
		expect(html).toContain('<table><thead><tr><th><p>H</p></th></tr></thead><tbody><tr><td colspan="2"><p>c</p></td></tr></tbody></table>');
	});

	it('bounds what a writer can put in attributes and nesting (exports stay small and quick)', () => {
		// A cell claiming fifty million columns, and a list nested 200 deep.
		const wide = json(el('table', [el('tableRow', [el('tableCell', [p('x')], { colspan: 50_000_000 })])]));
		expect(toMarkdown(wide).length).toBeLessThan(2_000);
		let deep: Spec = p('end');
		for (let i = 0; i < 200; i++) deep = el('bulletList', [el('listItem', [deep])]);
		expect(() => toMarkdown(json(deep))).not.toThrow();
	});
});

describe('toPdf', () => {
	const doc = json(
		el('heading', [[ALBANIAN]], { level: 1 }),
		p('Teksti ', ['i trashë', { bold: {} }], ' dhe ', ['i pjerrët', { italic: {} }], ' ', ['lidhje', { link: { href: 'https://example.org' } }]),
		el('bulletList', [el('listItem', [p(GREEK), el('orderedList', [el('listItem', [p('një')])])])]),
		el('blockquote', [p('citim')]),
		el('codeBlock', [['kod();']]),
		el('horizontalRule'),
		el('table', [
			el('tableRow', [el('tableHeader', [p('Emri')]), el('tableHeader', [p('Vlera')])]),
			el('tableRow', [el('tableCell', [p('ë')]), el('tableCell', [p('ç')])])
		])
	);

	it('makes a PDF', async () => {
		const pdf = await toPdf(doc, { title: 'Draft', subtitle: 'v1', lang: 'sq' });
		expect(Buffer.isBuffer(pdf)).toBe(true);
		expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
	});

	// CI installs poppler-utils, which provides pdftotext.
	it.skipIf(!existsSync('/usr/bin/pdftotext'))('embeds fonts that carry Albanian and Greek text', async () => {
		const pdf = await toPdf(doc, { title: 'Këshilli', subtitle: 'Versioni 2 · abc123', lang: 'sq' });
		const dir = mkdtempSync(path.join(tmpdir(), 'draft-render-'));
		try {
			const file = path.join(dir, 'draft.pdf');
			writeFileSync(file, pdf);
			const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
			expect(text).toContain('Këshilli');
			expect(text).toContain('Çështja');
			expect(text).toContain('πολιτική');
			expect(text).toMatch(/1\s*\/\s*1/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
