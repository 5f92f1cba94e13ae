import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { attempt } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	link: await guarded(appContext().services.calendarLinks.status(locals.auth))
});

export const actions: Actions = {
	/** A new link (the old one stops working); its address is shown this once. */
	renew: ({ locals, url }) => attempt(async () => ({ address: `${url.origin}/calendar/${await appContext().services.calendarLinks.renew(locals.auth)}.ics` })),
	revoke: ({ locals }) => attempt(async () => (await appContext().services.calendarLinks.revoke(locals.auth), { revoked: true }))
};
