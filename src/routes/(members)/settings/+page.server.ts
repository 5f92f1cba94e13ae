import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { clearSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	sessions: await appContext().services.auth.listSessions(locals.auth)
});

export const actions: Actions = {
	revoke: async ({ request, locals }) => {
		const { sessionId } = formValues(await request.formData(), ['sessionId']);
		try {
			await appContext().services.auth.revokeSession(locals.auth, sessionId);
		} catch (error) {
			return failFrom(error, {});
		}
		return { revoked: 1 };
	},
	signOutOthers: async ({ locals }) => {
		const revoked = await appContext().services.auth.signOutEverywhere(locals.auth, { keepCurrent: true });
		return { revoked };
	},
	signOutEverywhere: async ({ locals, cookies, url }) => {
		await appContext().services.auth.signOutEverywhere(locals.auth);
		clearSessionCookie(cookies, url);
		redirect(303, '/login?ended=1');
	}
};
