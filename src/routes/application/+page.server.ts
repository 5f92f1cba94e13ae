import { redirect } from '@sveltejs/kit';
import { signInFirst } from '$lib/server/guard';
import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** Where applicants land after signing in: the state of their application, and nothing else. */
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.auth) signInFirst('/application');
	if (locals.auth.actor.status === 'active') redirect(303, '/forum');
	return { application: await appContext().services.membership.myApplication(locals.auth) };
};
