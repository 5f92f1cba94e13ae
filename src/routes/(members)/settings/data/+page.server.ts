import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { clearSessionCookie } from '$lib/server/session-cookie';
import type { Actions } from './$types';

export const actions: Actions = {
	delete: async ({ request, locals, cookies, url }) => {
		const { password } = formValues(await request.formData(), ['password']);
		try {
			await appContext().services.account.deleteAccount(locals.auth, password);
		} catch (error) {
			return failFrom(error, {});
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/?deleted=1');
	}
};
