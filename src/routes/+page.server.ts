import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ overview: await appContext().services.network.publicOverview(getLocale()) });
