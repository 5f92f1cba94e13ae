import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { draftPassageActions } from '$lib/server/draft-passage-actions';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { ShownHtml } from '$lib/shared/shown-html';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	const [comments, amendments, versions, text, languages] = await Promise.all([
		drafts.comments(locals.auth, id),
		drafts.amendments(locals.auth, id),
		drafts.versions(locals.auth, id),
		drafts.currentHtml(locals.auth, id),
		drafts.languages(locals.auth, id)
	]);
	// The text as it is now, shown until the live editor has it (and all a reader without JavaScript gets); the page
	// data carries it once (ShownHtml), the markup being where the browser reads it back.
	return { draft, comments, amendments, versions, languages, text: new ShownHtml(`draft-text-${id}`, text) };
};

const num = (v: string) => Number(v) || 0;

export const actions: Actions = {
	status: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['to', 'outdated', 'suggestions']);
		return attempt(async () => ({ moved: await appContext().services.drafts.setStatus(locals.auth, Number(params.id), v.to, { outdatedConfirmed: v.outdated === '1', suggestionsConfirmed: v.suggestions === '1' }) }));
	},
	visibility: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['visibility']);
		return attempt(async () => ({ visibility: await appContext().services.drafts.setVisibility(locals.auth, Number(params.id), v.visibility) }));
	},
	language: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['lang']);
		const refused = await attempt(() => appContext().services.drafts.addTranslation(locals.auth, Number(params.id), v.lang), v, 'language');
		if (refused) return refused;
		redirect(303, `/drafts/${Number(params.id)}/languages/${v.lang}`);
	},
	version: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['name']);
		return attempt(async () => ({ saved: await appContext().services.drafts.saveVersion(locals.auth, Number(params.id), v.name) }), v, 'version');
	},
	...draftPassageActions,
	amendFromSuggestion: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['suggestionId', 'reason']);
		return attempt(async () => ({ proposed: await appContext().services.drafts.suggestionToAmendment(locals.auth, Number(params.id), v) }), v, 'suggestion');
	},
	withdraw: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['amendmentId']);
		return attempt(async () => ({ withdrawn: await appContext().services.drafts.withdraw(locals.auth, Number(params.id), num(v.amendmentId)) }));
	}
};
