import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isDomainError } from '$lib/shared/errors';
import { failureText } from '$lib/i18n/problems';

/**
 * Turns a service's refusal during a page load into the right response: sign-in for visitors, a 403, 404, 429 or 503
 * page in the reader's language. Anything else stays an unexpected error.
 */
export async function guarded<T>(work: Promise<T>, url?: URL): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (!isDomainError(e)) throw e;
		if (e.code === 'unauthenticated') redirect(303, url ? `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}` : '/login');
		if (e.code === 'forbidden') error(403, m.error_forbidden());
		if (e.code === 'not_found') error(404, m.error_not_found());
		if (e.code === 'rate_limited') error(429, failureText(e.code, e.fields.retryAfter));
		if (e.code === 'restarting' || e.code === 'unavailable') error(503, failureText(e.code));
		error(400, m.error_unexpected());
	}
}
