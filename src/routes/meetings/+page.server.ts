import { appContext } from '$lib/server/context';
import { isDomainError } from '$lib/shared/errors';
import type { PageServerLoad } from './$types';

/** Upcoming and past meetings the reader may see (visitors: public ones), and whether they may call one. */
export const load: PageServerLoad = async ({ locals }) => {
	const { meetings } = appContext().services;
	const [upcoming, past, options] = await Promise.all([
		meetings.list(locals.auth),
		meetings.list(locals.auth, { past: true }),
		locals.auth ? meetings.creationOptions(locals.auth).catch((e: unknown) => {
					if (isDomainError(e)) return null;
					throw e;
				}) : null
	]);
	return { upcoming, past, canCreate: !!options && (options.network || options.groups.length > 0) };
};
