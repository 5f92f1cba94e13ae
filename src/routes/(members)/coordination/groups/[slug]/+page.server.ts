import { appContext } from '$lib/server/context';
import { attempt } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { groupInput, readGroupForm } from '$lib/groups/group-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { groupAdmin } = appContext().services;
	const [group, choices] = await guarded(Promise.all([groupAdmin.form(locals.auth, params.slug), groupAdmin.facilitatorChoices(locals.auth)]));
	return { group, choices };
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const values = readGroupForm(await request.formData());
		return attempt(async () => {
			await appContext().services.groupAdmin.update(locals.auth, params.slug, groupInput(values));
			return { done: 'saved' as const };
		}, values, 'save');
	},
	archive: async ({ locals, params }) =>
		attempt(async () => {
			await appContext().services.groupAdmin.setArchived(locals.auth, params.slug, true);
			return { done: 'archived' as const };
		}, {}, 'archive'),
	unarchive: async ({ locals, params }) =>
		attempt(async () => {
			await appContext().services.groupAdmin.setArchived(locals.auth, params.slug, false);
			return { done: 'restored' as const };
		}, {}, 'archive')
};
