import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { moderation } = appContext().services;
	const [flags, log, spaces] = await guarded(Promise.all([moderation.queue(locals.auth), moderation.log(locals.auth), moderation.spaces(locals.auth)]), url);
	return { flags, log, spaces };
};

export const actions: Actions = {
	hide: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId', 'reason']);
		return attempt(async () => ({ done: await appContext().services.moderation.setPostHidden(locals.auth, Number(v.postId) || 0, true, v.reason) }));
	},
	/** Who reads a space (coordinators): narrowed, those who may no longer read it lose it at once. */
	visibility: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['space', 'visibility']);
		return attempt(async () => ({ done: await appContext().services.moderation.setSpaceVisibility(locals.auth, v.space, v.visibility) }));
	},
	dismiss: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId']);
		return attempt(async () => ({ done: await appContext().services.moderation.dismissFlags(locals.auth, Number(v.postId) || 0) }));
	}
};
