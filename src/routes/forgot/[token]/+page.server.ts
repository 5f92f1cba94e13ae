import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => ({
	valid: await appContext().services.account.resetTokenValid(params.token)
});

export const actions: Actions = {
	default: async ({ request, params }) => {
		const values = formValues(await request.formData(), ['next', 'confirm']);
		try {
			await appContext().services.account.resetPassword(params.token, values);
		} catch (error) {
			return failFrom(error, {});
		}
		redirect(303, '/login?reset=1');
	}
};
