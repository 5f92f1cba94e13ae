import { redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import { failFrom, formList, formValues } from '$lib/server/forms';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.auth) redirect(303, locals.auth.actor.status === 'applicant' ? '/application' : '/forum');
	return { fields: (await appContext().services.network.publicOverview(getLocale())).fields };
};

const KEYS = ['kind', 'name', 'email', 'password', 'city', 'motivation', 'organisationName', 'organisationWebsite'] as const;

export const actions: Actions = {
	default: async ({ request, getClientAddress, cookies, url }) => {
		const data = await request.formData();
		const values = formValues(data, KEYS);
		const fields = formList(data, 'fields');
		const { membership, auth } = appContext().services;
		try {
			await membership.apply({ ...values, fields, locale: getLocale() }, { ip: getClientAddress() });
		} catch (error) {
			const { password: _never, ...kept } = values;
			return failFrom(error, { ...kept, fields });
		}
		// The new applicant is signed in to follow their application.
		const signedIn = await auth.signIn({ email: values.email, password: values.password, ip: getClientAddress(), userAgent: request.headers.get('user-agent') });
		setSessionCookie(cookies, url, signedIn.token, signedIn.expiresAt);
		redirect(303, '/application');
	}
};
