/**
 * Atom (RFC 4287) documents, written by hand: the format is small, and every text goes through one escape.
 * Titles and summaries are plain text (type="text"), so a reader never interprets markup a member typed.
 */

export interface AtomEntry {
	/** A permanent IRI: the entry's page, which never moves. */
	id: string;
	title: string;
	/** The entry's page. */
	link: string;
	updated: number;
	published?: number;
	summary?: string;
	author?: string;
	/** Terms, e.g. the group's or the space's name. */
	categories?: string[];
}

export interface AtomFeed {
	/** The feed's own address, also its id. */
	self: string;
	/** The page the feed follows. */
	alternate: string;
	title: string;
	subtitle?: string;
	/** The language of the labels (xml:lang). */
	lang: string;
	/** The author of the feed: the network. */
	author: string;
	/** The newest entry's time; for an empty feed, `emptyUpdated`. */
	entries: AtomEntry[];
	emptyUpdated: number;
}

/** Characters XML 1.0 forbids even escaped (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in XML and HTML content and in quoted attributes: markup escaped, forbidden characters dropped. */
export function escapeMarkup(value: string): string {
	return value.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** An attribute value: also tabs and line breaks as references, which a parser would otherwise read as spaces. */
const attr = (value: string) => escapeMarkup(value).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);

const time = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The feed's `updated`: its newest entry's. */
export const feedUpdated = (feed: Pick<AtomFeed, 'entries' | 'emptyUpdated'>) => feed.entries.reduce((max, e) => Math.max(max, e.updated), feed.entries.length ? 0 : feed.emptyUpdated);

export function atomXml(feed: AtomFeed): string {
	const x = escapeMarkup;
	const out = [
		'<?xml version="1.0" encoding="utf-8"?>',
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${attr(feed.lang)}">`,
		`<id>${x(feed.self)}</id>`,
		`<title type="text">${x(feed.title)}</title>`,
		...(feed.subtitle ? [`<subtitle type="text">${x(feed.subtitle)}</subtitle>`] : []),
		`<updated>${time(feedUpdated(feed))}</updated>`,
		`<link rel="self" type="application/atom+xml" href="${attr(feed.self)}"/>`,
		`<link rel="alternate" type="text/html" href="${attr(feed.alternate)}"/>`,
		`<author><name>${x(feed.author)}</name></author>`,
		'<generator>Kuvend</generator>'
	];
	for (const e of feed.entries) {
		out.push(
			'<entry>',
			`<id>${x(e.id)}</id>`,
			`<title type="text">${x(e.title)}</title>`,
			`<link rel="alternate" type="text/html" href="${attr(e.link)}"/>`,
			`<updated>${time(e.updated)}</updated>`,
			...(e.published !== undefined ? [`<published>${time(e.published)}</published>`] : []),
			...(e.author ? [`<author><name>${x(e.author)}</name></author>`] : []),
			...(e.categories ?? []).map((c) => `<category term="${attr(c)}"/>`),
			...(e.summary ? [`<summary type="text">${x(e.summary)}</summary>`] : []),
			'</entry>'
		);
	}
	out.push('</feed>');
	return out.join('\n') + '\n';
}
