import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atomXml, escapeMarkup, type AtomFeed } from '../../server/render/atom.js';
import { parseAtom } from '../integration/helpers/atom.js';

const corpus = JSON.parse(fs.readFileSync(new URL('../fixtures/xss-corpus.json', import.meta.url), 'utf8')) as string[];

const feed = (titles: string[]): AtomFeed => ({
	self: 'https://kuvend.example/decisions/atom.xml',
	alternate: 'https://kuvend.example/decisions',
	title: 'SPK · <Vendimet> & "të tjera"',
	lang: 'sq',
	author: 'Skena e Pavarur Kulturore',
	emptyUpdated: Date.UTC(2026, 0, 1),
	entries: titles.map((title, i) => ({ id: `https://kuvend.example/decisions#decision-${i}`, link: `https://kuvend.example/decisions#decision-${i}`, title, updated: Date.UTC(2026, 5, 1) + i * 1000, summary: title, categories: [title] }))
});

describe('Atom documents', () => {
	it('keep every title of the XSS corpus as text, read back exactly by a strict XML parser', () => {
		const atom = parseAtom(atomXml(feed(corpus)));
		expect(atom.problems).toEqual([]);
		// XML has no place at all for NUL and other C0 controls; in text it reads CR and CRLF as LF (attributes keep
		// them, written as references).
		const kept = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
		const asRead = (s: string) => kept(s).replace(/\r\n?/g, '\n');
		const diff = atom.entries.map((e, i) => [e.title, asRead(corpus[i])]).filter(([a, b]) => a !== b);
		expect(diff).toEqual([]);
		expect(atom.entries.map((e) => e.categories[0])).toEqual(corpus.map(kept));
		expect(atom.title).toBe('SPK · <Vendimet> & "të tjera"');
		expect(atom.updated).toBe('2026-06-01T00:05:32Z');
	});

	// Shown to fail without the guard: without NOT_XML in escapeMarkup, a title with a control character or a lone
	// surrogate made a document no XML parser reads, so every reader of the feed lost all of it.
	it('drop the characters XML forbids, so one hostile title never breaks the whole feed', () => {
		const hostile = ['a\u0001b', 'lone \ud800 high', 'lone \udfff low', 'pair 😀 kept', 'not \ufffe or \uffff', 'tab\tand\nline'];
		const atom = parseAtom(atomXml(feed(hostile)));
		expect(atom.entries.map((e) => e.title)).toEqual(['ab', 'lone  high', 'lone  low', 'pair 😀 kept', 'not  or ', 'tab\tand\nline']);
		expect(escapeMarkup(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
	});

	it('have an updated time when empty, and the newest entry’s otherwise', () => {
		expect(parseAtom(atomXml(feed([]))).updated).toBe('2026-01-01T00:00:00Z');
	});
});
