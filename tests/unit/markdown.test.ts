import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { excerpt, extractMentions, renderMarkdown } from '../../server/services/markdown.js';

// Payloads from the OWASP XSS Filter Evasion Cheat Sheet, DOMPurify's test fixtures, markdown-it's xss
// fixtures and Markdown-specific vectors (link targets, references, entities, mentions, code, linkify).
const corpus = JSON.parse(fs.readFileSync(new URL('../fixtures/xss-corpus.json', import.meta.url), 'utf8')) as string[];

const REL = 'nofollow noopener noreferrer ugc';
const ALLOWED_TAGS = new Set([
	'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h3', 'h4', 'hr', 'a',
	'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'
]);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', nbsp: '\u00a0' };

// What a browser would see as the URL: entities decoded, then whitespace and control characters dropped
// (browsers strip or ignore them around and inside a scheme).
function effectiveUrl(raw: string): string {
	const decoded = raw.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, body: string) => {
		if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? whole;
		const code = body[1].toLowerCase() === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
		return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
	});
	return decoded.replace(/[\s\u0000-\u001f\u007f-\u009f\u200b\u2028\u2029\ufeff]/g, '').toLowerCase();
}

// Only real tags: escaped text such as "&lt;a href=javascript:..." is inert and must not count.
function urlAttributes(html: string): string[] {
	return [...html.matchAll(/<[a-z][^>]*>/gi)].flatMap(([tag]) =>
		[...tag.matchAll(/\s(?:href|src|xlink:href|action|formaction|poster|background|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map(
			(m) => m[2] ?? m[3] ?? m[4]
		)
	);
}

describe('renderMarkdown: ordinary Markdown', () => {
	it('renders emphasis, strike-through, inline code and line breaks', () => {
		expect(renderMarkdown('**bold** _it_ ~~gone~~ `x < y`\nnext line')).toBe(
			'<p><strong>bold</strong> <em>it</em> <s>gone</s> <code>x &lt; y</code><br />\nnext line</p>\n'
		);
	});

	it('renders lists, keeping an ordered list start', () => {
		expect(renderMarkdown('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
		expect(renderMarkdown('3. c\n4. d')).toBe('<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>\n');
	});

	it('renders quotes, rules and escaped code blocks', () => {
		expect(renderMarkdown('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>\n');
		expect(renderMarkdown('---')).toBe('<hr />\n');
		expect(renderMarkdown('```html\n<b class="x">&amp;</b>\n```')).toBe(
			'<pre><code>&lt;b class="x"&gt;&amp;amp;&lt;/b&gt;\n</code></pre>\n'
		);
		expect(renderMarkdown('    indented <i>')).toBe('<pre><code>indented &lt;i&gt;\n</code></pre>\n');
	});

	it('renders tables without alignment styles', () => {
		const html = renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |');
		expect(html).toContain('<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>');
		expect(html).toContain('<tbody>\n<tr>\n<td>1</td>\n<td>2</td>');
		expect(html).not.toContain('style');
	});

	it('renders external links with rel and no target, and site paths without rel', () => {
		expect(renderMarkdown('[site](https://kuvend.example/a?b=1&c=2)')).toBe(
			`<p><a href="https://kuvend.example/a?b=1&amp;c=2" rel="${REL}">site</a></p>\n`
		);
		expect(renderMarkdown('[mail](mailto:info@kuvend.example)')).toBe(
			`<p><a href="mailto:info@kuvend.example" rel="${REL}">mail</a></p>\n`
		);
		expect(renderMarkdown('[group](/groups/4)')).toBe('<p><a href="/groups/4">group</a></p>\n');
	});

	it('linkifies URLs and e-mail addresses', () => {
		expect(renderMarkdown('see https://kuvend.example/x or write to info@kuvend.example')).toBe(
			`<p>see <a href="https://kuvend.example/x" rel="${REL}">https://kuvend.example/x</a> or write to ` +
				`<a href="mailto:info@kuvend.example" rel="${REL}">info@kuvend.example</a></p>\n`
		);
	});

	it('keeps the text of links to other schemes, relative files or other hosts, but not the link', () => {
		for (const target of ['ftp://example.org/f', 'foo.html', '#top', '?q=1', '//evil.example/x', 'member:3']) {
			expect(renderMarkdown(`[text](${target})`)).toBe('<p><span>text</span></p>\n');
		}
	});

	it('demotes headings so a post never outranks the page', () => {
		expect(renderMarkdown('# One\n## Two\n### Three\n###### Six')).toBe(
			'<h3>One</h3>\n<h4>Two</h4>\n<h4>Three</h4>\n<h4>Six</h4>\n'
		);
		expect(renderMarkdown('One\n===\n\nTwo\n---')).toBe('<h3>One</h3>\n<h4>Two</h4>\n');
	});

	it('escapes raw HTML instead of rendering it', () => {
		expect(renderMarkdown('<b onclick="x()">hi</b>')).toBe('<p>&lt;b onclick="x()"&gt;hi&lt;/b&gt;</p>\n');
		expect(renderMarkdown('<div>\n<script>alert(1)</script>\n</div>')).toBe(
			'<p>&lt;div&gt;<br />\n&lt;script&gt;alert(1)&lt;/script&gt;<br />\n&lt;/div&gt;</p>\n'
		);
	});

	it('renders images as links to their target, never as <img>', () => {
		expect(renderMarkdown('![a chart](https://kuvend.example/c.png)')).toBe(
			`<p><a href="https://kuvend.example/c.png" rel="${REL}">a chart</a></p>\n`
		);
		expect(renderMarkdown('![](https://kuvend.example/c.png)')).toBe(
			`<p><a href="https://kuvend.example/c.png" rel="${REL}">https://kuvend.example/c.png</a></p>\n`
		);
		expect(renderMarkdown('[![logo](https://kuvend.example/l.png)](https://kuvend.example)')).toBe(
			`<p><a href="https://kuvend.example" rel="${REL}">logo</a></p>\n`
		);
		expect(renderMarkdown('![pixel](data:image/png;base64,iVBORw0KGgo=)')).toBe('<p><span>pixel</span></p>\n');
	});
});

describe('renderMarkdown: XSS corpus', () => {
	it('has a corpus of at least 150 distinct payloads', () => {
		expect(corpus.length).toBeGreaterThanOrEqual(150);
		expect(new Set(corpus).size).toBe(corpus.length);
	});

	it.each(corpus.map((payload, i) => [i, payload] as const))('payload %i renders inert', (_i, payload) => {
		const html = renderMarkdown(payload);
		expect(html).not.toMatch(/<(script|iframe|object|embed|img|svg|style|math|form|input|base|meta|link)\b/i);
		expect(html).not.toMatch(/<[^>]+\son\w+\s*=/i);
		expect(html).not.toMatch(/<[^>]+\s(style|id|target|src)\s*=/i);
		for (const [, tag] of html.matchAll(/<\/?([a-z][a-z0-9]*)/gi)) expect(ALLOWED_TAGS).toContain(tag.toLowerCase());
		for (const [, cls] of html.matchAll(/\sclass\s*=\s*"([^"]*)"/gi)) expect(cls).toBe('mention');
		for (const url of urlAttributes(html)) {
			const effective = effectiveUrl(url);
			expect(effective).not.toMatch(/^(javascript|vbscript|data|livescript):/);
			expect(effective).toMatch(/^(https?:\/\/|mailto:|\/(?![/\\]))/);
		}
	});
});

describe('mentions', () => {
	it('render as links to the member', () => {
		expect(renderMarkdown('Thanks @[Ana Kola](member:12)!')).toBe(
			'<p>Thanks <a class="mention" href="/members/12">@Ana Kola</a>!</p>\n'
		);
	});

	it('escape the display name', () => {
		expect(renderMarkdown('@[<b>Tom</b> & "Jerry"](member:7)')).toBe(
			'<p><a class="mention" href="/members/7">@&lt;b&gt;Tom&lt;/b&gt; &amp; "Jerry"</a></p>\n'
		);
	});

	it('leave malformed mentions as plain text', () => {
		for (const source of ['@[Ana](member:abc)', '@[Ana](member:0)', '@[](member:3)', '@[  ](member:3)', '@[Ana](member:1 "t")', '@[Ana](members:4)']) {
			const html = renderMarkdown(source);
			expect(html).not.toContain('mention');
			expect(html).not.toContain('href');
		}
		expect(renderMarkdown('@[Ana](member:abc)')).toBe('<p>@[Ana](member:abc)</p>\n');
	});

	it('are not rendered inside code', () => {
		expect(renderMarkdown('`@[Ana](member:1)`')).toBe('<p><code>@[Ana](member:1)</code></p>\n');
	});

	it('extractMentions returns distinct ids and ignores code', () => {
		const source = [
			'Hi @[Ana](member:12) and @[Ben](member:7), again @[Ana](member:12).',
			'Not `@[Code](member:3)` nor @[Bad](member:x).',
			'```\n@[Fenced](member:4)\n```',
			'    @[Indented](member:5)',
			'> quoted @[Dora](member:9)'
		].join('\n\n');
		expect(extractMentions(source)).toEqual([12, 7, 9]);
		expect(extractMentions('no mentions here')).toEqual([]);
	});
});

describe('excerpt', () => {
	const post = '# Budget 2027\n\nWe **must** decide on the [theatre grant](https://kuvend.example/g) before @[Ana](member:1) travels.\n\n- item one\n- item two';

	it('returns plain text with whitespace collapsed', () => {
		expect(excerpt(post)).toBe(
			'Budget 2027 We must decide on the theatre grant before @Ana travels. item one item two'
		);
		expect(excerpt('a <b>raw</b> &amp; `code`\n\n\n   spaced')).toBe('a <b>raw</b> & code spaced');
	});

	it('cuts at a word boundary with an ellipsis, within the limit', () => {
		const cut = excerpt(post, 40);
		expect(cut).toBe('Budget 2027 We must decide on the…');
		expect(cut.length).toBeLessThanOrEqual(40);
		expect(excerpt('short text', 40)).toBe('short text');
		expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
	});

	it('defaults to 200 characters', () => {
		const long = 'word '.repeat(100);
		const cut = excerpt(long);
		expect(cut.length).toBeLessThanOrEqual(200);
		expect(cut.endsWith('word…')).toBe(true);
	});
});
