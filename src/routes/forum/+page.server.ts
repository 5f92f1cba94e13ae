import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('forum:index');
	return { categories: await appContext().services.forum.categories(locals.auth) };
};
