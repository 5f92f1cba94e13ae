import { appContext } from '$lib/server/context';
import { attempt } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	instance: await guarded(appContext().services.instance.overview(locals.auth)),
	email: locals.auth?.viewer.email ?? ''
});

export const actions: Actions = {
	testMail: async ({ locals }) => attempt(async () => ({ testMail: await appContext().services.instance.sendTestMail(locals.auth) }))
};
