import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	entries: await guarded(appContext().services.coordination.auditTrail(locals.auth, getLocale()))
});
