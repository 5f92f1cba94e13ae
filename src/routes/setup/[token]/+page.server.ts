import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { setSessionCookie } from '$lib/server/session-cookie';
import { isDomainError } from '$lib/shared/errors';
import { LOCALE_COOKIE, SESSION_COOKIE } from '$lib/shared/session';
import { SETUP_HOME } from '$lib/shared/setup';
import type { Actions, PageServerLoad } from './$types';

/** The one-time link printed at start while the network has no coordinator (server/services/setup.service.ts). */
export const load: PageServerLoad = async ({ params, getClientAddress }) => {
	await guarded(appContext().services.setup.checkLink(params.token, { ip: getClientAddress() }));
	return {};
};

export const actions: Actions = {
	default: async ({ request, params, cookies, url, getClientAddress }) => {
		const values = formValues(await request.formData(), ['name', 'email', 'next', 'confirm', 'locale']);
		const { setup } = appContext().services;
		const meta = { ip: getClientAddress(), userAgent: request.headers.get('user-agent'), previousToken: cookies.get(SESSION_COOKIE) };
		let signedIn;
		try {
			signedIn = await appContext().lifecycle.track(() => setup.createFirstCoordinator(params.token, values, meta));
		} catch (error) {
			// Never send the password back.
			const kept = { name: values.name, email: values.email, locale: values.locale };
			// A link that is not (or no longer) valid, or a network that has its coordinator: the page it would open to.
			if (isDomainError(error) && (error.code === 'gone' || error.code === 'not_found')) return guarded(Promise.reject(error));
			return failFrom(error, kept);
		}
		setSessionCookie(cookies, url, signedIn.token, signedIn.expiresAt);
		cookies.set(LOCALE_COOKIE, signedIn.viewer.locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 34560000 });
		redirect(303, SETUP_HOME);
	}
};
