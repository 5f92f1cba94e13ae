import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const archived = url.searchParams.get('archived') === '1';
	const { drafts } = appContext().services;
	return { archived, drafts: await drafts.list(locals.auth, { archived }), canCreate: drafts.mayCreate(locals.auth) };
};
