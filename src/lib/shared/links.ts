/** Where a link in a draft may lead: the web and mail. Anything else (javascript:, data:, a relative path) is no link. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * `href` as an absolute http(s) or mailto URL, normalised by the URL parser browsers use (which strips the tabs and
 * newlines that `java\nscript:` hides behind), or null when it is anything else. The editor keeps no other link and
 * the server's renderers emit no other.
 */
export function safeHref(href: unknown): string | null {
	if (typeof href !== 'string') return null;
	try {
		const url = new URL(href.trim());
		return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
	} catch {
		return null;
	}
}
