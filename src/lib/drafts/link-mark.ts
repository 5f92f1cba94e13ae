import { combineTransactionSteps, getChangedRanges, Mark, markPasteRule } from '@tiptap/core';
import type { MarkType } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { safeHref } from '$lib/shared/links';

declare module '@tiptap/core' {
	interface Commands<ReturnType> {
		linkMark: {
			/** Links the selection to `href`; refused (false) unless it is an absolute http(s) or mailto URL. */
			setLink: (attributes: { href: string }) => ReturnType;
			/** Unlinks the selection, or the whole link the cursor is in. */
			unsetLink: () => ReturnType;
		};
	}
}

const REL = 'noopener noreferrer nofollow';
/** Set on a change that must not be linked again (a link set or removed by hand). */
const PREVENT = 'preventAutolink';

/** An address that names its scheme: the web with a host, or mail to someone. */
const WITH_SCHEME = /^(https?:\/\/[^/]|mailto:[^@]+@[^@]+$)/i;

/** What a word typed or pasted links to, if it is an http(s) or mailto URL, a www. address or an e-mail address. */
export function hrefFor(word: string): string | null {
	if (/\s/.test(word)) return null;
	const href = WITH_SCHEME.test(word) ? word : /^www\.[^.]/i.test(word) ? `http://${word}` : /^[^@/:]+@[^@/:]+\.[a-z]{2,}$/i.test(word) ? `mailto:${word}` : null;
	return href && safeHref(href) && href;
}

const OPENING = '(["\'«';
const CLOSING = '.,;:!?)]"\'»';
const count = (text: string, c: string) => text.split(c).length - 1;

/**
 * The link in a word as it stands in a sentence: brackets, quotes and punctuation around it are not part of it, but
 * a closing bracket the URL itself opened is (Wikipedia's "Foo_(bar)"). Offsets are the word's.
 */
export function linkIn(word: string): { from: number; to: number; href: string } | null {
	let from = 0;
	let to = word.length;
	while (from < to && OPENING.includes(word[from])) from++;
	while (from < to && CLOSING.includes(word[to - 1])) {
		const close = word[to - 1];
		const open = close === ')' ? '(' : close === ']' ? '[' : null;
		if (open && count(word.slice(from, to), open) >= count(word.slice(from, to), close)) break;
		to--;
	}
	const href = hrefFor(word.slice(from, to));
	return href ? { from, to, href } : null;
}

/**
 * Links the last word of a block's text once whitespace follows it or the block ends (Enter), as typed here.
 * Changes from others arrive over Yjs with their links already made.
 */
export function autolink(type: MarkType): Plugin {
	return new Plugin({
		key: new PluginKey('autolink'),
		appendTransaction(transactions, oldState, newState) {
			if (!transactions.some((tr) => tr.docChanged) || transactions.some((tr) => tr.getMeta(PREVENT) || tr.getMeta(ySyncPluginKey))) return null;
			const tr = newState.tr;
			for (const { newRange } of getChangedRanges(combineTransactionSteps(oldState.doc, [...transactions]))) {
				const $from = newState.doc.resolve(newRange.from);
				if (!$from.parent.isTextblock) continue;
				const start = $from.start();
				const end = Math.min(newRange.to, $from.end());
				// Only a change that ends in whitespace, or leaves the block, ends a word.
				if (end === newRange.to && !/\s$/.test(newState.doc.textBetween(newRange.from, end, undefined, ' '))) continue;
				// A leaf (a hard break) reads as one space: offsets in the text stay positions in the document.
				const text = newState.doc.textBetween(start, end, undefined, ' ');
				const words = text.trimEnd();
				const word = words.slice(words.search(/\S+$/));
				const link = word && linkIn(word);
				if (!link) continue;
				const from = start + words.length - word.length + link.from;
				const to = from + link.to - link.from;
				// (Inside code nothing is added: the code mark excludes every other.)
				if (!newState.doc.rangeHasMark(from, to, type)) tr.addMark(from, to, type.create({ href: link.href }));
			}
			return tr.steps.length ? tr : null;
		}
	});
}

/**
 * The `link` mark, in place of TipTap's Link (whose URL finder, linkifyjs, weighed more than all of this): the same
 * name, attributes and spec, so texts written with either read the same; only absolute http(s) and mailto links,
 * however they arrive (typed, pasted as text or HTML, set from the toolbar), and never `javascript:`.
 */
export const LinkMark = Mark.create({
	name: 'link',
	// TipTap's Link: outermost of the marks, ended by Enter, typing at its end extends it, ArrowRight leaves it.
	priority: 1000,
	keepOnSplit: false,
	exitable: true,
	inclusive: true,
	addAttributes() {
		// The attributes TipTap's Link gave the mark, with its defaults; what is shown is decided in renderHTML.
		const kept = (value: string | null) => ({ default: value, rendered: false, parseHTML: () => null });
		return {
			href: { default: null, rendered: false, parseHTML: (el: HTMLElement) => el.getAttribute('href') },
			target: kept('_blank'),
			rel: kept(REL),
			class: kept(null),
			title: { default: null, rendered: false, parseHTML: (el: HTMLElement) => el.getAttribute('title') }
		};
	},
	parseHTML: () => [{ tag: 'a[href]', getAttrs: (el: HTMLElement) => (safeHref(el.getAttribute('href')) ? null : false) }],
	renderHTML: ({ mark }) => ['a', { href: safeHref(mark.attrs.href), target: '_blank', rel: REL, title: mark.attrs.title }, 0],
	addCommands() {
		return {
			setLink:
				({ href }) =>
				({ chain }) =>
					safeHref(href) !== null && chain().setMark(this.name, { href }).setMeta(PREVENT, true).run(),
			unsetLink:
				() =>
				({ chain }) =>
					chain().unsetMark(this.name, { extendEmptyMarkRange: true }).setMeta(PREVENT, true).run()
		};
	},
	addPasteRules() {
		return [
			markPasteRule({
				type: this.type,
				find: (text) =>
					[...text.matchAll(/\S+/g)].flatMap((word) => {
						const link = linkIn(word[0]);
						return link ? [{ index: word.index + link.from, text: word[0].slice(link.from, link.to), data: { href: link.href } }] : [];
					}),
				getAttributes: (match) => ({ href: match.data?.href })
			})
		];
	},
	addProseMirrorPlugins() {
		const { editor, type } = this;
		return [
			autolink(type),
			// A URL pasted over selected words links them.
			new Plugin({
				key: new PluginKey('linkOnPaste'),
				props: {
					handlePaste: (view, _event, slice) => {
						const href = view.state.selection.empty ? null : hrefFor(slice.content.textBetween(0, slice.content.size).trim());
						return href !== null && editor.commands.setMark(type, { href });
					}
				}
			})
		];
	}
});
