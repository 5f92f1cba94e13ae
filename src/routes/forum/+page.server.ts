import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** The spaces, or with `?tag=` the threads carrying that tag across every space the person may read. */
export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends('forum:index');
	const { forum } = appContext().services;
	const tag = url.searchParams.get('tag');
	if (tag !== null) return { categories: [], tagged: await forum.tagged(locals.auth, tag, Number(url.searchParams.get('page') ?? 1)) };
	return { categories: await forum.categories(locals.auth), tagged: null };
};
