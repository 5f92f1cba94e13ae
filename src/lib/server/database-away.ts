import type { Handle, RequestEvent } from '@sveltejs/kit';
import { json } from '@sveltejs/kit';
import { stringify } from 'devalue';
import { m } from '$lib/paraglide/messages';
import { baseLocale, extractLocaleFromRequestWithStrategies, getLocale, type Locale } from '$lib/paraglide/runtime';
import { DATABASE_AWAY, isDatabaseAwayRefusal } from '$lib/shared/database-away';
import { appContext } from './context';

/**
 * While PostgreSQL cannot be reached (server/db/dialect/postgres.ts turns that into the refusal 'unavailable',
 * DATABASE_AWAY), a page answers 503 with a short page in the reader's language and Retry-After, not a 500 saying
 * something unexpected happened. A page load that failed so is marked by handleError (which SvelteKit calls inside
 * the request's language); a failure in an earlier hook (the session's look-up) is caught here.
 */
const failedAway = new WeakMap<object, Locale>();

/** Called by handleError: whether the error was PostgreSQL being away (the page is then answered by databaseAway). */
export function markDatabaseAway(event: RequestEvent, error: unknown): boolean {
	if (!isDatabaseAwayRefusal(error) && !isDatabaseAwayRefusal((error as { cause?: unknown } | null)?.cause)) return false;
	failedAway.set(event.locals, getLocale());
	return true;
}

function localeOf(request: Request): Locale {
	try {
		return extractLocaleFromRequestWithStrategies(request, ['cookie', 'preferredLanguage']) ?? appContext().services.profile.primaryLocale;
	} catch {
		return baseLocale;
	}
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function awayPage(locale: Locale): Response {
	const text = escape(m.pgmove_database_away_page({}, { locale }));
	const home = escape(m.error_go_home({}, { locale }));
	const body = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>503 · Kuvend</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:4rem 1.5rem;text-align:center;color:#1d1d1f;background:#fafaf7}@media (prefers-color-scheme:dark){body{color:#f2f2ef;background:#161616}a{color:#9cc4ff}}p.status{font-size:2.5rem;font-weight:800;margin:0}h1{font-size:1.25rem;max-width:32rem;margin:1rem auto;line-height:1.5}</style></head>
<body><main><p class="status">503</p><h1>${text}</h1><p><a href="/">${home}</a></p></main></body></html>`;
	return new Response(body, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' } });
}

/** A form sent by an enhanced page (use:enhance): it reads the action's answer as JSON, not a page. */
const isEnhancedAction = (request: Request) => request.method === 'POST' && request.headers.get('x-sveltekit-action') === 'true';

/**
 * An enhanced form's answer while PostgreSQL is away, as a refused action says it (FormProblem, src/lib/server/forms.ts):
 * the code the pages word as "cannot reach the database" in the reader's language, and the form's own fields as typed,
 * so nothing is lost. Needed where the refusal came before the action could answer (the session's look-up).
 */
async function awayAction(form: Promise<FormData | null>): Promise<Response> {
	const data = await form;
	const values = data ? Object.fromEntries([...data.entries()].filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
	return json({ type: 'failure', status: 503, data: stringify({ code: DATABASE_AWAY, fields: {}, values }) }, { headers: { 'retry-after': '5', 'cache-control': 'no-store' } });
}

export const databaseAway: Handle = async ({ event, resolve }) => {
	// A copy of an enhanced form's fields, read only if PostgreSQL turns out to be away (bodies are small and capped).
	const form = isEnhancedAction(event.request) ? event.request.clone() : null;
	const fields = () => (form ? form.formData().catch(() => null) : Promise.resolve(null));
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		if (!isDatabaseAwayRefusal(error)) throw error;
		return form ? awayAction(fields()) : awayPage(localeOf(event.request));
	}
	const locale = failedAway.get(event.locals);
	if (locale === undefined || response.status < 500) return response;
	if (form) return awayAction(fields());
	// A client-side navigation's data request keeps SvelteKit's shape (its error page shows the same words).
	if (event.isDataRequest) return new Response(response.body, { status: 503, headers: response.headers });
	return awayPage(locale);
};
