import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { fields, groups } = await appContext().services.network.publicOverview();
	return { fields, groups: groups.map((g) => ({ slug: g.slug, name: g.name })) };
};
