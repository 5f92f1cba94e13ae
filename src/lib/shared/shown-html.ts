/**
 * Sanitised HTML that a server-rendered page already shows in its markup. On a full page load SvelteKit's
 * transport hook (src/hooks.ts) sends only its key in the page data, and the browser takes the text back from the
 * element that carries `data-shown="<key>"`: a long thread's posts travel once, not twice. Client-side navigations
 * and live updates carry plain strings.
 */
export class ShownHtml {
	constructor(
		readonly key: string,
		readonly html: string
	) {}

	/** `{@html}` renders it as its text. */
	toString(): string {
		return this.html;
	}
}

/** HTML from the server: a string, or a `ShownHtml` on the page that rendered it. */
export type Html = string | ShownHtml;

/** The HTML that the element marked with `key` shows, without Svelte's hydration markers around it. */
export function shownInDocument(key: string): ShownHtml {
	const el = document.querySelector(`[data-shown="${CSS.escape(key)}"]`);
	return new ShownHtml(key, (el?.innerHTML ?? '').replace(/^<!--[^>]*-->|<!--[^>]*-->$/g, ''));
}
