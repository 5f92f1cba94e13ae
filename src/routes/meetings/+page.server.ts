import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** Upcoming and past meetings the reader may see (visitors: public ones), and whether they may call one. */
export const load: PageServerLoad = async ({ locals }) => {
	const { meetings, abilities } = appContext().services;
	const [upcoming, past, canCreate] = await Promise.all([meetings.list(locals.auth), meetings.list(locals.auth, { past: true }), abilities.mayCall(locals.auth)]);
	return { upcoming, past, canCreate };
};
