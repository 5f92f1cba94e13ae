import { appContext } from '$lib/server/context';
import { attempt } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	notifications: await guarded(appContext().services.notifications.list(locals.auth), url)
});

export const actions: Actions = {
	readAll: ({ locals }) => attempt(async () => ({ read: await appContext().services.notifications.markAllRead(locals.auth) }))
};
