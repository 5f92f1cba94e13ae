import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	const versions = await drafts.versions(locals.auth, id);
	const wanted = Number(url.searchParams.get('v')) || versions[0]?.number || 0;
	const shown = wanted ? await guarded(drafts.versionHtml(locals.auth, id, wanted), url) : null;
	return { draft, versions, shown };
};
