import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { attempt, failFrom, formValues } from '$lib/server/forms';
import { clearSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	sessions: await guarded(appContext().services.auth.listSessions(locals.auth))
});

export const actions: Actions = {
	password: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['current', 'next', 'confirm']);
		try {
			const ended = await appContext().services.account.changePassword(locals.auth, values);
			return { changed: true, revoked: ended };
		} catch (error) {
			return failFrom(error, {}, 'password');
		}
	},
	revoke: async ({ request, locals }) => {
		const { sessionId } = formValues(await request.formData(), ['sessionId']);
		try {
			await appContext().services.auth.revokeSession(locals.auth, sessionId);
		} catch (error) {
			return failFrom(error, {});
		}
		return { revoked: 1 };
	},
	signOutOthers: ({ locals }) =>
		attempt(async () => ({ revoked: await appContext().services.auth.signOutEverywhere(locals.auth, { keepCurrent: true }) })),
	signOutEverywhere: async ({ locals, cookies, url }) => {
		const refused = await attempt(() => appContext().services.auth.signOutEverywhere(locals.auth));
		if (typeof refused !== 'number') return refused;
		clearSessionCookie(cookies, url);
		redirect(303, '/login?ended=1');
	}
};
