import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	overview: await guarded(appContext().services.setup.overview(locals.auth), url)
});
