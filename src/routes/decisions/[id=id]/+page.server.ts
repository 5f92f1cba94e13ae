import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => ({ chain: await guarded(appContext().services.votes.decisionChain(locals.auth, Number(params.id)), url) });
