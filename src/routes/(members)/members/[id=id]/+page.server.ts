import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { failFrom, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => ({
	profile: await guarded(appContext().services.network.profile(locals.auth, Number(params.id)))
});

export const actions: Actions = {
	role: async ({ request, locals, params }) => {
		const { role } = formValues(await request.formData(), ['role']);
		try {
			await appContext().services.coordination.setRole(locals.auth, Number(params.id), role);
		} catch (e) {
			return failFrom(e, { role }, 'role');
		}
		return { done: 'role' };
	},
	suspend: async ({ request, locals, params }) => {
		const { reason } = formValues(await request.formData(), ['reason']);
		try {
			await appContext().services.coordination.suspend(locals.auth, Number(params.id), reason);
		} catch (e) {
			return failFrom(e, { reason }, 'suspend');
		}
		return { done: 'suspend' };
	},
	reinstate: async ({ locals, params }) => {
		try {
			await appContext().services.coordination.reinstate(locals.auth, Number(params.id));
		} catch (e) {
			return failFrom(e, {}, 'reinstate');
		}
		return { done: 'reinstate' };
	}
};
