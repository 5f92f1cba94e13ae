import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	outbox: await guarded(appContext().services.coordination.outbox(locals.auth, Number(url.searchParams.get('offset') ?? 0) || 0))
});
