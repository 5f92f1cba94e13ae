import { error, redirect } from '@sveltejs/kit';
import { signInFirst } from '$lib/server/guard';
import { m } from '$lib/paraglide/messages';
import type { LayoutServerLoad } from './$types';

/** The members' area: visitors are sent to sign in and come back; applicants and others see why not. */
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.auth) signInFirst(url.pathname + url.search);
	if (locals.auth.actor.status === 'applicant') redirect(303, '/application');
	if (locals.auth.actor.status !== 'active') error(403, m.error_members_only());
	return {};
};
