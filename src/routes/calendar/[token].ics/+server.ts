import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { calendarOrganiser } from '$lib/server/network';
import { isDomainError } from '$lib/shared/errors';
import type { RequestHandler } from './$types';

/**
 * A member's secret calendar link (made in /settings/calendar): the meetings that member may attend, as their
 * meetings page lists them now. An unknown or revoked link, or a suspended member's, is not found.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const { services } = appContext();
	const { profile } = services;
	try {
		const ics = await services.calendarLinks.feed(
			params.token,
			url.origin,
			(locale) => m.meetings_calendar_name({ network: profile.view(locale).shortName }, { locale }),
			calendarOrganiser()
		);
		if (ics === null) error(404, m.error_not_found());
		return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-cache' } });
	} catch (e) {
		if (!isDomainError(e) || e.code !== 'rate_limited') throw e;
		return new Response(m.feed_calendar_rate_limited(), { status: 429, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': e.fields.retryAfter ?? '60' } });
	}
};
