import { appContext } from '$lib/server/context';
import { getLocale } from '$lib/paraglide/runtime';
import { networkView } from '$lib/server/network';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	depends('app:notifications');
	const viewer = locals.auth?.viewer ?? null;
	const { notifications, fields } = appContext().services;
	const [unread, fieldNames] = await Promise.all([viewer ? notifications.unread(locals.auth) : 0, fields.names(getLocale())]);
	// fieldNames: every field's name in the reader's language, for fieldName() in src/lib/i18n/labels.ts. The network's
	// profile is public and kept in memory: every page's title and footer read it.
	return { viewer, network: networkView(), timeZone: locals.timeZone, unread, fieldNames };
};
