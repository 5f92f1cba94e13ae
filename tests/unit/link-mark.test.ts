import { describe, expect, it } from 'vitest';
import { Editor, getSchema } from '@tiptap/core';
import type { TagParseRule } from '@tiptap/pm/model';
import { EditorState } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { safeHref } from '../../src/lib/shared/links.js';
import { autolink, hrefFor, linkIn } from '../../src/lib/drafts/link-mark.js';
import { textExtensions } from '../../src/lib/drafts/text-extensions.js';

const UNSAFE = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\nscript:alert(1)', 'java\tscript:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example', '/drafts/1', 'evil.example', '', null];

describe('safeHref', () => {
	it('takes absolute http(s) and mailto URLs, normalised', () => {
		expect(safeHref('https://example.org')).toBe('https://example.org/');
		expect(safeHref(' http://example.org/a?b=1 ')).toBe('http://example.org/a?b=1');
		expect(safeHref('mailto:ana@example.org')).toBe('mailto:ana@example.org');
	});

	it('refuses script, data, relative and protocol-relative targets', () => {
		for (const href of UNSAFE) expect(safeHref(href), String(href)).toBeNull();
	});
});

describe('the link mark', () => {
	const schema = getSchema(textExtensions());
	const link = schema.marks.link;
	/** An <a> as the editor reads it from pasted HTML (only its attributes are looked at). */
	const anchor = (href: string | null) => ({ getAttribute: (name: string) => (name === 'href' ? href : null) }) as unknown as HTMLElement;
	const parse = (href: string | null) => (link.spec.parseDOM![0] as TagParseRule).getAttrs!(anchor(href));
	const rendered = (href: string) => link.spec.toDOM!(link.create({ href }), true) as [string, Record<string, unknown>, number];

	it('reads a pasted link only when its target is safe', () => {
		expect(parse('https://example.org/x')).toEqual(expect.objectContaining({ href: 'https://example.org/x' }));
		expect(parse('mailto:ana@example.org')).toEqual(expect.objectContaining({ href: 'mailto:ana@example.org' }));
		for (const href of UNSAFE) expect(parse(href), String(href)).toBe(false);
	});

	it('never renders an unsafe target, and always with noopener', () => {
		for (const href of UNSAFE) if (href !== null) expect(rendered(href)[1].href, href).toBeNull();
		expect(rendered('https://example.org')).toEqual(['a', { href: 'https://example.org/', target: '_blank', rel: 'noopener noreferrer nofollow', title: null }, 0]);
	});

	it('sets a link from the toolbar only to a safe target', () => {
		const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kuvend' }] }] };
		const editor = new Editor({ element: null, extensions: textExtensions(), content: doc });
		editor.commands.setTextSelection({ from: 1, to: 7 });
		for (const href of UNSAFE) if (href !== null) expect(editor.commands.setLink({ href }), href).toBe(false);
		expect(editor.getJSON()).toEqual(doc);
		expect(editor.commands.setLink({ href: 'https://kuvend.example' })).toBe(true);
		expect(editor.getAttributes('link').href).toBe('https://kuvend.example');
		expect(editor.commands.unsetLink()).toBe(true);
		expect(editor.getJSON()).toEqual(doc);
		editor.destroy();
	});

	it('links a URL once a space or a new line follows it, as it is typed here', () => {
		let state = EditorState.create({ schema, plugins: [autolink(link)] });
		const type = (text: string) => [...text].forEach((c) => (state = state.apply(state.tr.insertText(c))));
		const links = () => {
			const found: [string, string][] = [];
			state.doc.descendants((node) => void (node.isText && node.marks.forEach((m) => m.type === link && found.push([node.text!, m.attrs.href]))));
			return found;
		};
		type('See (https://kuvend.example/a_(b)).');
		expect(links()).toEqual([]);
		type(' or javascript:alert(1) ');
		expect(links()).toEqual([['https://kuvend.example/a_(b)', 'https://kuvend.example/a_(b)']]);
		type('ana@kuvend.example');
		state = state.apply(state.tr.split(state.selection.from));
		expect(links()).toEqual([
			['https://kuvend.example/a_(b)', 'https://kuvend.example/a_(b)'],
			['ana@kuvend.example', 'mailto:ana@kuvend.example']
		]);
		// Another person's words arrive over Yjs, linked or not as they made them.
		state = state.apply(state.tr.insertText('www.kuvend.example ').setMeta(ySyncPluginKey, { isChangeOrigin: true }));
		expect(links()).toHaveLength(2);
		// Nor inside code.
		state = state.apply(state.tr.insertText('https://x.example', state.selection.from).addMark(state.selection.from, state.selection.from + 17, schema.marks.code.create()));
		type(' ');
		expect(links()).toHaveLength(2);
	});

	it('links typed words that are URLs or addresses, without what surrounds them', () => {
		expect(linkIn('https://example.org.')).toEqual({ from: 0, to: 19, href: 'https://example.org' });
		expect(linkIn('(www.example.org),')).toEqual({ from: 1, to: 16, href: 'http://www.example.org' });
		expect(linkIn('https://en.wikipedia.org/wiki/Foo_(bar)')?.to).toBe(39);
		expect(linkIn('«ana@example.org»')).toEqual({ from: 1, to: 16, href: 'mailto:ana@example.org' });
		for (const word of ['javascript:alert(1)', 'JaVaScRiPt://x', 'data:text/html,x', 'http:x', 'https://', 'mailto:x', 'example', 'a.b', 'https://a.org x'])
			expect(hrefFor(word), word).toBeNull();
	});
});
