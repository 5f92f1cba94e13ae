import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { drafts } = appContext().services;
	const id = Number(params.id);
	const draft = await guarded(drafts.get(locals.auth, id), url);
	const versions = await drafts.versions(locals.auth, id);
	const to = Number(url.searchParams.get('to')) || versions[0]?.number || 0;
	const from = Number(url.searchParams.get('from')) || versions.find((v) => v.number < to)?.number || 0;
	const diff = from && to ? await guarded(drafts.diff(locals.auth, id, from, to), url) : null;
	return { draft, versions, diff };
};
