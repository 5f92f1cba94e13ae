import { appContext } from '$lib/server/context';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	depends('app:notifications');
	const viewer = locals.auth?.viewer ?? null;
	return { viewer, timeZone: locals.timeZone, unread: viewer ? await appContext().services.notifications.unread(locals.auth) : 0 };
};
