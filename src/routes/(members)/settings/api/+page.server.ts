import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { attempt, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	// A new token is in the answer to the form once: no cache keeps a copy of the page around it.
	setHeaders({ 'cache-control': 'no-store' });
	return { tokens: await guarded(appContext().services.apiTokens.list(locals.auth)) };
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['name']);
		return attempt(async () => {
			const { id, token } = await appContext().services.apiTokens.create(locals.auth, values.name);
			return { created: { id, name: values.name.trim(), token } };
		}, values);
	},
	revoke: async ({ request, locals }) => {
		const { id } = formValues(await request.formData(), ['id']);
		return attempt(async () => {
			await appContext().services.apiTokens.revoke(locals.auth, Number(id) || 0);
			return { revoked: true };
		});
	}
};
