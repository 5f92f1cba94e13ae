import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { proxyActions } from '$lib/server/proxies';
import type { Actions, PageServerLoad } from './$types';

/** A member's proxy for a whole meeting: give it, revoke it, and see whose proxies they hold there. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { meetings, proxies } = appContext().services;
	const id = Number(params.id);
	const meeting = await guarded(meetings.get(locals.auth, id), url);
	return { meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt }, proxies: await guarded(proxies.view(locals.auth, { meetingId: id }), url) };
};

export const actions: Actions = proxyActions((params) => ({ meetingId: Number(params.id) }));
