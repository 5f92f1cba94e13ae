import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const filter = {
		q: url.searchParams.get('q') ?? '',
		field: url.searchParams.get('field') ?? '',
		city: url.searchParams.get('city') ?? '',
		group: url.searchParams.get('group') ?? '',
		organisation: url.searchParams.get('organisation') ?? ''
	};
	const { network } = appContext().services;
	const [members, options] = await guarded(Promise.all([network.directory(locals.auth, filter), network.directoryFilters(locals.auth)]));
	return { members, options, filter };
};
