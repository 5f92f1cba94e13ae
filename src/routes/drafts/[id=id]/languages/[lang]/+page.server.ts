import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { draftPassageActions } from '$lib/server/draft-passage-actions';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { translationDocName } from '$lib/shared/translations';
import { isLocale } from '$lib/shared/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	const languages = await drafts.languages(locals.auth, id);
	const lang = params.lang;
	if (!isLocale(lang) || !languages.translations.some((t) => t.lang === lang)) error(404, m.error_not_found());
	const [confirmed, versions, amendments, comments] = await Promise.all([
		drafts.translationConfirmations(locals.auth, id, lang),
		drafts.versions(locals.auth, id),
		drafts.amendments(locals.auth, id),
		drafts.comments(locals.auth, id)
	]);
	return { draft, languages, lang, docName: translationDocName(id, lang), confirmed, versions: versions.length, amendments: amendments.length, comments };
};

export const actions: Actions = {
	...draftPassageActions,
	confirm: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['block']);
		return attempt(async () => ({ confirmed: await appContext().services.drafts.confirmTranslation(locals.auth, Number(params.id), params.lang, v.block) }), v);
	},
	status: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['to', 'outdated', 'suggestions']);
		return attempt(async () => ({ moved: await appContext().services.drafts.setStatus(locals.auth, Number(params.id), v.to, { outdatedConfirmed: v.outdated === '1', suggestionsConfirmed: v.suggestions === '1' }) }));
	}
};
