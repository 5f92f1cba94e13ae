import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isDomainError } from '$lib/shared/errors';
import { failureText } from '$lib/i18n/problems';
import { isDatabaseAwayRefusal } from '$lib/shared/database-away';

/**
 * Sends a visitor to sign in first and come back to `path` afterwards; the sign-in page says the page was for members
 * (`why=members`), which a link the visitor chose to follow ("sign in to vote") does not say.
 */
export function signInFirst(path: string): never {
	redirect(303, `/login?redirectTo=${encodeURIComponent(path)}&why=members`);
}

/**
 * Turns a service's refusal during a page load into the right response: sign-in for visitors, a 403, 404, 410, 429 or 503
 * page in the reader's language. Anything else stays an unexpected error.
 */
export async function guarded<T>(work: Promise<T>, url?: URL): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (!isDomainError(e)) throw e;
		if (e.code === 'unauthenticated') (url ? signInFirst(url.pathname + url.search) : redirect(303, '/login'));
		if (e.code === 'forbidden') error(403, m.error_forbidden());
		if (e.code === 'not_found') error(404, m.error_not_found());
		if (e.code === 'gone') error(410, m.error_link_not_valid());
		if (e.code === 'rate_limited') error(429, failureText(e.code, e.fields.retryAfter));
		if (isDatabaseAwayRefusal(e)) error(503, m.pgmove_database_away_page());
		if (e.code === 'restarting' || e.code === 'unavailable') error(503, failureText(e.code));
		error(400, m.error_unexpected());
	}
}
