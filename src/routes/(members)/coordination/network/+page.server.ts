import { appContext } from '$lib/server/context';
import { attempt } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { readProfileForm, storedProfileForm } from '$lib/server/network';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	profile: await guarded(Promise.resolve().then(() => storedProfileForm(locals.auth)), url)
});

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const { values, input, logo } = await readProfileForm(await request.formData());
		const saved = await attempt(() => appContext().services.profile.save(locals.auth, input, logo), values);
		return saved ?? { saved: true as const };
	}
};
