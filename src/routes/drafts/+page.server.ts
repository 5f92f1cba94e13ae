import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const archived = url.searchParams.get('archived') === '1';
	return {
		archived,
		drafts: await appContext().services.drafts.list(locals.auth, { archived }),
		canCreate: locals.auth?.actor.status === 'active'
	};
};
