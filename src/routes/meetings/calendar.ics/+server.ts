import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { calendarOrganiser, networkView } from '$lib/server/network';
import type { RequestHandler } from './$types';

/** The calendar feed: the meetings the reader may see (calendar apps send no cookie: then the public ones). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const ics = await appContext().services.meetings.calendar(locals.auth, url.origin, m.meetings_calendar_name({ network: networkView().shortName }), calendarOrganiser());
	return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' } });
};
