import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues, safeRedirectTarget } from '$lib/server/forms';
import { setSessionCookie } from '$lib/server/session-cookie';
import { LOCALE_COOKIE, SESSION_COOKIE } from '$lib/shared/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.auth) redirect(303, locals.auth.actor.status === 'applicant' ? '/application' : safeRedirectTarget(url.searchParams.get('redirectTo'), '/forum'));
	const redirectTo = url.searchParams.get('redirectTo') ?? '';
	// Sent here from a page for members (signInFirst), not by a link the visitor chose: say why.
	const membersOnly = url.searchParams.get('why') === 'members' && !url.searchParams.has('ended');
	return { ended: url.searchParams.has('ended'), reset: url.searchParams.has('reset'), redirectTo, membersOnly };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const values = formValues(await request.formData(), ['email', 'password', 'redirectTo']);
		let signedIn;
		try {
			signedIn = await appContext().services.auth.signIn({
				email: values.email,
				password: values.password,
				userAgent: request.headers.get('user-agent'),
				ip: getClientAddress(),
				previousToken: cookies.get(SESSION_COOKIE)
			});
		} catch (error) {
			// Never send the password back.
			return failFrom(error, { email: values.email, redirectTo: values.redirectTo });
		}
		setSessionCookie(cookies, url, signedIn.token, signedIn.expiresAt);
		cookies.set(LOCALE_COOKIE, signedIn.viewer.locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 34560000 });
		redirect(303, signedIn.actor.status === 'applicant' ? '/application' : safeRedirectTarget(values.redirectTo, '/forum'));
	}
};
