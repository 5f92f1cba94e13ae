import { error } from '@sveltejs/kit';
import { signInFirst } from '$lib/server/guard';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { calendarOrganiser } from '$lib/server/network';
import { isDomainError } from '$lib/shared/errors';
import type { RequestHandler } from './$types';

/** One meeting as an .ics file, to add to a calendar. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const id = Number(params.id);
	try {
		const ics = await appContext().services.meetings.calendarOf(locals.auth, id, url.origin, calendarOrganiser());
		return new Response(ics, {
			headers: {
				'content-type': 'text/calendar; charset=utf-8',
				'content-disposition': `attachment; filename="meeting-${id}.ics"`,
				'cache-control': 'private, no-cache'
			}
		});
	} catch (e) {
		if (!isDomainError(e)) throw e;
		if (e.code === 'unauthenticated') signInFirst(url.pathname);
		error(404, m.error_not_found());
	}
};
