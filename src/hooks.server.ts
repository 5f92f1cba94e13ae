import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { defineCustomServerStrategy, extractLocaleFromRequestWithStrategies, type Locale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { cachedForVisitors } from '$lib/server/visitor-cache';
import { clearSessionCookie, setSessionCookie } from '$lib/server/session-cookie';
import { unreadableBody } from '$lib/server/request-body';
import { withReaderZone, zoneOf } from '$lib/server/reader-zone';
import { LOCALE_COOKIE, SESSION_COOKIE } from '$lib/shared/session';
import { TIME_ZONE_COOKIE } from '$lib/shared/time';
import { ROUTE_HEADER } from '$lib/shared/route-header';
import { databaseAway, markDatabaseAway } from '$lib/server/database-away';
import { isEmbedPath } from '$lib/shared/embed';
import { isLocale } from '$lib/shared/types';
import { NETWORK_TIME_ZONE } from '$lib/shared/time';

/** A signed-in member's stored language wins over the cookie and the browser's Accept-Language. */
const memberLocale = new WeakMap<Request, Locale>();
defineCustomServerStrategy('custom-member', { getLocale: (request) => (request ? memberLocale.get(request) : undefined) });
/**
 * A visitor who chose no language and whose browser asks for none of the three reads the network's primary language
 * (its profile). Paraglide asks custom strategies before the others, so this one steps aside itself when the cookie
 * or Accept-Language decides.
 */
defineCustomServerStrategy('custom-network', {
	getLocale: (request) => {
		if (!request) return undefined;
		try {
			return extractLocaleFromRequestWithStrategies(request, ['cookie', 'preferredLanguage']) && undefined;
		} catch {
			return appContext().services.profile.primaryLocale;
		}
	}
});

const readableBody: Handle = async ({ event, resolve }) => {
	const refused = await unreadableBody(event.request);
	return refused ? new Response(m.error_bad_request(), { status: refused, headers: { 'content-type': 'text/plain; charset=utf-8' } }) : resolve(event);
};

const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	const auth = token ? await appContext().services.auth.authenticate(token) : null;
	event.locals.auth = auth;
	if (token && !auth) clearSessionCookie(event.cookies, event.url);
	if (token && auth?.extended) setSessionCookie(event.cookies, event.url, token, auth.expiresAt);
	if (auth) {
		memberLocale.set(event.request, auth.viewer.locale);
		// Keep the browser's language cookie in step, so client-side rendering agrees with the server.
		if (event.cookies.get(LOCALE_COOKIE) !== auth.viewer.locale) {
			event.cookies.set(LOCALE_COOKIE, auth.viewer.locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 34560000 });
		}
	}
	event.locals.timeZone = zoneOf(auth?.viewer.timeZone, event.cookies.get(TIME_ZONE_COOKIE));
	const response = await withReaderZone(event.locals.timeZone, () => resolve(event));
	// A signed-in page is that member's: no shared cache, and no copy left behind in the browser's.
	if (auth) response.headers.set('cache-control', 'private, no-store');
	return response;
};

/**
 * Embeds are framed by other sites: rendered as for a visitor, in the network's zone, without reading or setting a
 * cookie (the request goes on without its Cookie header), in the language of ?lang= or else the browser's.
 */
const asVisitor: Handle = ({ event, resolve }) => {
	const headers = new Headers(event.request.headers);
	headers.delete('cookie');
	const lang = event.url.searchParams.get('lang');
	if (isLocale(lang)) headers.set('accept-language', lang);
	event.request = new Request(event.request.url, { method: event.request.method, headers });
	event.locals.auth = null;
	event.locals.timeZone = NETWORK_TIME_ZONE;
	return withReaderZone(NETWORK_TIME_ZONE, () => resolve(event));
};

const authenticateUnlessEmbed: Handle = (input) => (isEmbedPath(input.event.url.pathname) ? asVisitor(input) : authenticate(input));

const localise: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return cachedForVisitors(event, () => resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) }));
	});

/** Tells the server which route answered, so request metrics are labelled by pattern, never by URL. */
const routeLabel: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	try {
		response.headers.set(ROUTE_HEADER, event.route.id ?? '(not found)');
	} catch {
		// A response with immutable headers (a fetched one passed through) is counted as "(other)".
	}
	return response;
};

export const handle = sequence(routeLabel, databaseAway, readableBody, authenticateUnlessEmbed, localise);

export const handleError: HandleServerError = ({ error, event, status }) => {
	// PostgreSQL unreachable: a 503 in the reader's language (databaseAway), logged once by the pool, not per page.
	if (markDatabaseAway(event, error)) return { message: m.pgmove_database_away_page() };
	if (status >= 500) {
		try {
			appContext().logger.error('request failed', { error });
		} catch {
			console.error(error);
		}
	}
	return { message: status === 404 ? m.error_not_found() : m.error_unexpected() };
};
