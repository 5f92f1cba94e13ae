import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	return { draft, amendments: await drafts.amendments(locals.auth, id) };
};

export const actions: Actions = {
	withdraw: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['amendmentId']);
		return attempt(async () => ({ withdrawn: await appContext().services.drafts.withdraw(locals.auth, Number(params.id), Number(v.amendmentId) || 0) }));
	}
};
