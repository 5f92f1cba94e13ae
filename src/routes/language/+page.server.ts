import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { formValues, safeRedirectTarget } from '$lib/server/forms';
import { isDomainError } from '$lib/shared/errors';
import { LOCALE_COOKIE } from '$lib/shared/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, locals, cookies }) => {
		const values = formValues(await request.formData(), ['locale', 'redirectTo']);
		const back = safeRedirectTarget(values.redirectTo);
		try {
			const locale = await appContext().services.preferences.setLocale(locals.auth, values.locale);
			cookies.set(LOCALE_COOKIE, locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 34560000 });
		} catch (error) {
			// An unknown language leaves everything as it was.
			if (!isDomainError(error)) throw error;
		}
		redirect(303, back);
	}
};
