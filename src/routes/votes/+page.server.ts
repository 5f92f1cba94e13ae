import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { votes, abilities } = appContext().services;
	const [current, closed, canCreate] = await Promise.all([
		votes.list(locals.auth),
		votes.list(locals.auth, { closed: true }),
		abilities.mayCall(locals.auth)
	]);
	return { current, closed, canCreate };
};
