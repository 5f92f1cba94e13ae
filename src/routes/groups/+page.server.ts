import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ groups: (await appContext().services.network.publicOverview()).groups });
