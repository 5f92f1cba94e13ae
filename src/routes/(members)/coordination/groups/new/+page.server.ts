import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { attempt } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { keepSetup } from '$lib/shared/setup';
import { groupInput, readGroupForm } from '$lib/groups/group-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	choices: await guarded(appContext().services.groupAdmin.facilitatorChoices(locals.auth))
});

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const values = readGroupForm(await request.formData());
		const slug = await attempt(() => appContext().services.groupAdmin.create(locals.auth, groupInput(values)), values);
		if (typeof slug !== 'string') return slug;
		redirect(303, keepSetup(url, '/coordination/groups?created=1'));
	}
};
