import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { attempt, failFrom, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => ({
	group: await guarded(appContext().services.groups.page(locals.auth, params.slug, getLocale()))
});

export const actions: Actions = {
	join: async ({ locals, params }) => {
		try {
			return { done: await appContext().services.groups.join(locals.auth, params.slug) };
		} catch (e) {
			return failFrom(e, {});
		}
	},
	leave: async ({ locals, params }) => {
		try {
			await appContext().services.groups.leave(locals.auth, params.slug);
			return { done: 'left' };
		} catch (e) {
			return failFrom(e, {});
		}
	},
	decide: async ({ request, locals, params }) => {
		const { userId, decision } = formValues(await request.formData(), ['userId', 'decision']);
		try {
			await appContext().services.groups.decide(locals.auth, params.slug, Number(userId), decision === 'approve');
			return { done: decision === 'approve' ? 'approved' : 'declined' };
		} catch (e) {
			return failFrom(e, {});
		}
	},
	/** A facilitator (or coordinator) takes a member out of the group. */
	remove: async ({ request, locals, params }) => {
		const { userId } = formValues(await request.formData(), ['userId']);
		return attempt(async () => {
			await appContext().services.groups.remove(locals.auth, params.slug, Number(userId));
			return { done: 'removed' };
		});
	},
	/** A facilitator (or coordinator) names a member facilitator, or makes a facilitator a member again. */
	role: async ({ request, locals, params }) => {
		const { userId, role } = formValues(await request.formData(), ['userId', 'role']);
		return attempt(async () => {
			await appContext().services.groups.setRole(locals.auth, params.slug, Number(userId), role);
			return { done: 'role_changed' };
		});
	}
};
