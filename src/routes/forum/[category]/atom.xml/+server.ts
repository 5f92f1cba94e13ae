import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { atomResponse, spaceFeed } from '$lib/server/feeds';
import { isDomainError } from '$lib/shared/errors';
import type { RequestHandler } from './$types';

/** A public forum space's threads as an Atom feed; any other space is not found (a feed reader has no session). */
export const GET: RequestHandler = async ({ request, url, params }) => {
	try {
		return atomResponse(request, await spaceFeed(url.origin, url.origin + url.pathname, params.category));
	} catch (e) {
		if (!isDomainError(e)) throw e;
		error(404, m.error_not_found());
	}
};
