/**
 * Links whose last path segment is a one-time secret: whoever holds one can set an account's password, or make the
 * network's first coordinator. Declared
 * once, here: such links are only built by `oneTimeLink`, and every view of stored mail (the coordinators' outbox,
 * the development log) shows them through `hideOneTimeLinks`. A new kind of token link is added to this list, or it
 * cannot be built.
 */
export const ONE_TIME_LINKS = {
	/** Set a new password: a reset asked for at /forgot, or a link printed by the admin command line. */
	password: '/forgot/',
	/** Make the first coordinator: printed at start while the network has none (server/services/setup.service.ts). */
	setup: '/setup/'
} as const;

export type OneTimeLinkKind = keyof typeof ONE_TIME_LINKS;

/** Tokens are base64url (server/services/password-links.ts). */
const TOKEN = '[A-Za-z0-9_-]+';
const HIDDEN = '••••••••';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ANY_LINK = new RegExp(`(${Object.values(ONE_TIME_LINKS).map(escape).join('|')})${TOKEN}`, 'g');

export function oneTimeLink(origin: string, kind: OneTimeLinkKind, token: string): string {
	return `${origin}${ONE_TIME_LINKS[kind]}${token}`;
}

/** The text with the token of every one-time link replaced by dots; the rest of the link stays readable. */
export function hideOneTimeLinks(text: string): string {
	return text.replace(ANY_LINK, `$1${HIDDEN}`);
}

/** The tokens of the one-time links in a text (to check, before mail goes out, that they are still valid). */
export function oneTimeTokensIn(text: string): string[] {
	return [...text.matchAll(ANY_LINK)].map((m) => m[0].slice(m[1].length));
}
