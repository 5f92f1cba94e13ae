/**
 * Pages other sites may frame (issue #20): /embed/decisions and /embed/meetings. They alone carry their own
 * `frame-ancestors *`; every other response keeps X-Frame-Options: DENY and `frame-ancestors 'none'`. They are
 * rendered as for a visitor, with no cookie read or set.
 */
export const EMBED_PREFIX = '/embed/';

export const isEmbedPath = (pathname: string) => pathname.startsWith(EMBED_PREFIX);

/** The embeds' own policy: no script at all, their inline style, links that leave the frame. */
export const EMBED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *";
