import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	groups: await guarded(appContext().services.groupAdmin.list(locals.auth)),
	created: url.searchParams.get('created') === '1'
});
