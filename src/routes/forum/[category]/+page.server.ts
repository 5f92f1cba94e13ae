import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { attempt, formValues, markdownValue } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

/** A merged field's space is empty: its old links lead, for good, to the space it was merged into. */
async function followMerge(slug: string, search = ''): Promise<void> {
	const moved = await appContext().services.forum.movedSpace(slug);
	if (moved) redirect(308, `/forum/${encodeURIComponent(moved)}${search}`);
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	await followMerge(params.category, url.search);
	return { ...(await guarded(appContext().services.forum.category(locals.auth, params.category, Number(url.searchParams.get('page') ?? 1)), url)) };
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		await followMerge(params.category);
		const data = await request.formData();
		const values = { ...formValues(data, ['title', 'tags']), body: markdownValue(data, 'body') };
		const id = await attempt(() => appContext().services.forumWriting.createThread(locals.auth, { category: params.category, ...values }), values);
		if (typeof id !== 'number') return id;
		redirect(303, `/forum/t/${id}`);
	}
};
