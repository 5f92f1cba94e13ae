import { appContext } from '$lib/server/context';
import { networkView } from '$lib/server/network';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	depends('app:notifications');
	const viewer = locals.auth?.viewer ?? null;
	// The network's profile is public and kept in memory: every page's title and footer read it.
	return { viewer, network: networkView(), timeZone: locals.timeZone, unread: viewer ? await appContext().services.notifications.unread(locals.auth) : 0 };
};
