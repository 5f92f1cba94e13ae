import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => guarded(appContext().services.drafts.newDraftOptions(locals.auth), url);

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['title', 'summary', 'group', 'field', 'visibility']);
		const id = await attempt(() => appContext().services.drafts.create(locals.auth, values), values);
		if (typeof id !== 'number') return id;
		redirect(303, `/drafts/${id}`);
	}
};
