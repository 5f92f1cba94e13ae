import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { failFrom, formList, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { account, network } = appContext().services;
	const [settings, overview] = await guarded(Promise.all([account.settings(locals.auth), network.publicOverview()]));
	return { settings, fields: overview.fields };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const data = await request.formData();
		const values = formValues(data, ['displayName', 'city', 'bio']);
		const input = { ...values, fields: formList(data, 'fields'), showEmail: data.get('showEmail') === 'on' };
		try {
			await appContext().services.account.updateProfile(locals.auth, input);
		} catch (error) {
			return failFrom(error, input);
		}
		return { saved: true };
	}
};
