import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	const versions = await drafts.versions(locals.auth, id);
	const wanted = Number(url.searchParams.get('v')) || versions[0]?.number || 0;
	const shown = wanted ? await guarded(drafts.versionHtml(locals.auth, id, wanted), url) : null;
	return { draft, versions, shown };
};

export const actions: Actions = {
	restore: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['version']);
		const number = Number(v.version) || 0;
		return attempt(async () => {
			await appContext().services.drafts.restoreVersion(locals.auth, Number(params.id), number);
			return { restored: number };
		});
	}
};
