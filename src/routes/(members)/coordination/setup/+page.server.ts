import { appContext } from '$lib/server/context';
import { attempt } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	overview: await guarded(appContext().services.setup.overview(locals.auth), url)
});

export const actions: Actions = {
	finish: async ({ locals }) => {
		const result = await attempt(() => appContext().services.setup.finish(locals.auth));
		return result ?? { finished: true };
	}
};
