import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { failFrom, formList, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { organisations, network } = appContext().services;
	const page = await guarded(organisations.page(locals.auth, params.slug));
	return { org: page, fields: page.canManage ? (await network.publicOverview(getLocale())).fields : [] };
};

export const actions: Actions = {
	profile: async ({ request, locals, params }) => {
		const data = await request.formData();
		const input = { ...formValues(data, ['name', 'description', 'city', 'website']), fields: formList(data, 'fields') };
		try {
			await appContext().services.organisations.updateProfile(locals.auth, params.slug, input);
		} catch (e) {
			return failFrom(e, input, 'profile');
		}
		return { done: 'profile' };
	},
	addRepresentative: async ({ request, locals, params }) => {
		const { email } = formValues(await request.formData(), ['email']);
		try {
			await appContext().services.organisations.addRepresentative(locals.auth, params.slug, email);
		} catch (e) {
			return failFrom(e, { email }, 'addRepresentative');
		}
		return { done: 'addRepresentative' };
	},
	removeRepresentative: async ({ request, locals, params }) => {
		const { userId } = formValues(await request.formData(), ['userId']);
		try {
			await appContext().services.organisations.removeRepresentative(locals.auth, params.slug, Number(userId));
		} catch (e) {
			return failFrom(e, {}, 'removeRepresentative');
		}
		return { done: 'removeRepresentative' };
	}
};
