import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	const [amendments, languages] = await Promise.all([drafts.amendments(locals.auth, id), drafts.languages(locals.auth, id)]);
	// In a draft with translations, each amendment names the text it changes (the source's language).
	return { draft, amendments, translated: languages.translations.length > 0 };
};

export const actions: Actions = {
	withdraw: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['amendmentId']);
		return attempt(async () => ({ withdrawn: await appContext().services.drafts.withdraw(locals.auth, Number(params.id), Number(v.amendmentId) || 0) }));
	}
};
