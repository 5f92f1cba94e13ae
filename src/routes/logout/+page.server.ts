import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { clearSessionCookie } from '$lib/server/session-cookie';
import { SESSION_COOKIE } from '$lib/shared/session';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so it is a POST; a GET just goes home.
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await appContext().services.auth.signOut(token);
		clearSessionCookie(cookies, url);
		redirect(303, '/');
	}
};
