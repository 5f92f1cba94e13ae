import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { failFrom, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const idOf = (raw: string) => {
	const id = Number(raw);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, m.error_not_found());
	return id;
};

export const load: PageServerLoad = async ({ locals, params }) => ({
	profile: await guarded(appContext().services.network.profile(locals.auth, idOf(params.id)))
});

export const actions: Actions = {
	role: async ({ request, locals, params }) => {
		const { role } = formValues(await request.formData(), ['role']);
		try {
			await appContext().services.coordination.setRole(locals.auth, idOf(params.id), role);
		} catch (e) {
			return failFrom(e, { role }, 'role');
		}
		return { done: 'role' };
	},
	suspend: async ({ request, locals, params }) => {
		const { reason } = formValues(await request.formData(), ['reason']);
		try {
			await appContext().services.coordination.suspend(locals.auth, idOf(params.id), reason);
		} catch (e) {
			return failFrom(e, { reason }, 'suspend');
		}
		return { done: 'suspend' };
	},
	reinstate: async ({ locals, params }) => {
		try {
			await appContext().services.coordination.reinstate(locals.auth, idOf(params.id));
		} catch (e) {
			return failFrom(e, {}, 'reinstate');
		}
		return { done: 'reinstate' };
	}
};
