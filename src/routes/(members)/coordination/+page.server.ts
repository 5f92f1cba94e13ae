import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const status = url.searchParams.get('status') === 'decided' ? 'decided' : 'pending';
	const { membership } = appContext().services;
	const requests =
		status === 'pending'
			? await guarded(membership.queue(locals.auth, 'pending'))
			: (await guarded(Promise.all([membership.queue(locals.auth, 'approved'), membership.queue(locals.auth, 'rejected')])))
					.flat()
					.sort((a, b) => (b.reviewedAt ?? 0) - (a.reviewedAt ?? 0));
	// A network started from its setup link is offered the day-one steps until a coordinator finishes them.
	const setupOffered = await guarded(appContext().services.setup.offered(locals.auth));
	return { requests, status, setupOffered };
};

export const actions: Actions = {
	approve: async ({ request, locals }) => {
		const { id } = formValues(await request.formData(), ['id']);
		try {
			await appContext().services.membership.approve(locals.auth, Number(id));
		} catch (e) {
			return failFrom(e, { id });
		}
		return { done: 'approved', id };
	},
	reject: async ({ request, locals }) => {
		const { id, reason } = formValues(await request.formData(), ['id', 'reason']);
		try {
			await appContext().services.membership.reject(locals.auth, Number(id), reason);
		} catch (e) {
			return failFrom(e, { id, reason });
		}
		return { done: 'rejected', id };
	}
};
