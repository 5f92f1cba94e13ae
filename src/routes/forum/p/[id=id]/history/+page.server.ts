import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => ({
	history: await guarded(appContext().services.forum.history(locals.auth, Number(params.id)), url)
});
