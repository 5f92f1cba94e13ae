import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	members: await appContext().services.network.directory(locals.auth)
});
