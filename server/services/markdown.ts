import MarkdownIt, { type StateInline, type Token } from 'markdown-it';
import type { Attributes, IOptions, Tag } from 'sanitize-html';
import { sanitizeHtml } from '../render/sanitize-html.js';

// Forum posts are Markdown written by members. markdown-it never emits raw HTML (html: false) and refuses
// javascript:/vbscript:/file:/data: link targets; sanitize-html then enforces the final allowlist, so a
// renderer bug or a future plugin cannot smuggle markup past it.

const md = new MarkdownIt({ html: false, linkify: true, breaks: true });
const { escapeHtml } = md.utils;

// What the editor's autocomplete inserts: @[Display Name](member:123).
const MENTION = /^@\[([^[\]\n]{1,100})\]\(member:([1-9]\d{0,14})\)$/;
// Anything shaped like a mention that MENTION rejects must stay literal text, not fall through to the link
// rule (which would turn it into a half-link).
const MENTION_LIKE = /^@\[[^[\]\n]*\]\(member:[^()\s]*\)/;

md.inline.ruler.before('link', 'mention', (state: StateInline, silent: boolean) => {
	if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
	const match = MENTION_LIKE.exec(state.src.slice(state.pos));
	if (!match) return false;
	if (!silent) {
		const mention = MENTION.exec(match[0]);
		const name = mention?.[1].trim();
		// A link cannot contain a link, so inside one a mention stays text.
		if (mention && name && state.linkLevel === 0) {
			state.push('mention', '', 0).meta = { id: Number(mention[2]), name };
		} else {
			state.push('text', '', 0).content = match[0];
		}
	}
	state.pos += match[0].length;
	return true;
});

md.renderer.rules.mention = (tokens, idx) => {
	const { id, name } = tokens[idx].meta as { id: number; name: string };
	return `<a class="mention" href="/members/${id}">@${escapeHtml(name)}</a>`;
};

// Posts sit under the page's h1/h2, so their headings start at h3.
md.core.ruler.push('demote_headings', (state) => {
	for (const token of state.tokens) {
		if (token.type === 'heading_open' || token.type === 'heading_close') {
			token.tag = token.tag === 'h1' ? 'h3' : 'h4';
		}
	}
});

// Images would let a post load third-party URLs (tracking pixels, huge files) in every reader's browser, so
// an image becomes a plain link to its target; inside a link only the alt text remains, to avoid nesting.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
	const token = tokens[idx];
	const src = String(token.attrGet('src') ?? '');
	const alt = self.renderInlineAsText(token.children ?? [], options, env);
	let depth = 0;
	for (const t of tokens.slice(0, idx)) depth += t.type === 'link_open' ? 1 : t.type === 'link_close' ? -1 : 0;
	if (depth > 0) return escapeHtml(alt);
	return `<a href="${escapeHtml(src)}">${escapeHtml(alt || src)}</a>`;
};

const EXTERNAL_HREF = /^(https?:\/\/|mailto:)/i;
// One leading slash only: "//host" and "/\host" both leave the site in browsers.
const SAME_SITE_HREF = /^\/(?![/\\])/;
const EXTERNAL_REL = 'nofollow noopener noreferrer ugc';

const SANITIZE: IOptions = {
	allowedTags: [
		'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h3', 'h4', 'hr',
		'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'
	],
	allowedAttributes: { a: ['href', 'rel', 'class'], ol: ['start'] },
	allowedClasses: { a: ['mention'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesByTag: {},
	allowProtocolRelative: false,
	transformTags: { a: checkLink }
};

// sanitize-html would accept any relative URL ("foo", "#x", "?q"); posts may only link to site paths. A link
// whose target fails is unwrapped to its text rather than left as a dead <a>.
function checkLink(_tag: string, attribs: Attributes): Tag {
	const href = attribs.href ?? '';
	if (SAME_SITE_HREF.test(href)) {
		return { tagName: 'a', attribs: attribs.class === 'mention' ? { class: 'mention', href } : { href } };
	}
	if (EXTERNAL_HREF.test(href)) return { tagName: 'a', attribs: { href, rel: EXTERNAL_REL } };
	return { tagName: 'span', attribs: {} };
}

const toHtml = (tokens: Token[]): string => sanitizeHtml(md.renderer.render(tokens, md.options, {}), SANITIZE);

export function renderMarkdown(source: string): string {
	return toHtml(md.parse(source, {}));
}

function mentionsIn(tokens: Token[]): number[] {
	const ids = new Set<number>();
	for (const token of tokens) {
		for (const child of token.children ?? []) {
			if (child.type === 'mention') ids.add((child.meta as { id: number }).id);
		}
	}
	return [...ids];
}

/** Distinct member ids mentioned in the post, in order of first mention; mentions in code do not count. */
export function extractMentions(source: string): number[] {
	return mentionsIn(md.parse(source, {}));
}

function plainText(tokens: Token[]): string {
	let text = '';
	for (const token of tokens) {
		if (token.children) text += plainText(token.children);
		else if (token.type === 'mention') text += `@${(token.meta as { name: string }).name}`;
		else if (token.type === 'text' || token.type === 'code_inline') text += token.content;
		else if (token.type === 'fence' || token.type === 'code_block') text += ` ${token.content} `;
		// Block boundaries and line breaks separate words that the source kept apart.
		else if (token.block || token.type === 'softbreak' || token.type === 'hardbreak') text += ' ';
	}
	return text;
}

/** Plain text (not HTML-escaped) of a post for notifications and lists, at most `max` characters. */
export function excerpt(source: string, max = 200): string {
	return shorten(plainText(md.parse(source, {})), max);
}

function shorten(plain: string, max: number): string {
	const text = plain.replace(/\s+/g, ' ').trim();
	// No more UTF-16 units than `max` is no more code points either: nothing to cut, and no array of characters.
	if (text.length <= max) return text;
	// Array.from counts code points, so a cut never splits a surrogate pair.
	const chars = Array.from(text);
	if (chars.length <= max) return text;
	const head = chars.slice(0, Math.max(max - 1, 0)).join('');
	const space = head.lastIndexOf(' ');
	// A single very long word is cut hard rather than leaving almost nothing.
	const cut = space > head.length / 2 ? head.slice(0, space) : head;
	return `${cut.trimEnd()}…`;
}

/**
 * Everything writing a post needs from its Markdown, from one parse: the HTML (as renderMarkdown), the plain text
 * for the search index (as excerpt, at most `max` characters) and who it mentions (as extractMentions). A reply
 * parsed its Markdown three times for these (tests/bench/forum.bench.ts, posts/s through the service).
 */
export function renderPost(source: string, max: number): { html: string; text: string; mentions: number[] } {
	const tokens = md.parse(source, {});
	return { html: toHtml(tokens), text: shorten(plainText(tokens), max), mentions: mentionsIn(tokens) };
}
