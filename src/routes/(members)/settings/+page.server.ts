import { getLocale } from '$lib/paraglide/runtime';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { failFrom, formList, formValues } from '$lib/server/forms';
import { timeZoneChoices } from '$lib/shared/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { account, network } = appContext().services;
	const [settings, overview] = await guarded(Promise.all([account.settings(locals.auth), network.publicOverview(getLocale())]));
	return { settings, fields: overview.fields, timeZones: timeZoneChoices() };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const data = await request.formData();
		const values = formValues(data, ['displayName', 'city', 'bio', 'timeZone']);
		const input = { ...values, fields: formList(data, 'fields'), showEmail: data.get('showEmail') === 'on' };
		const { account, preferences } = appContext().services;
		try {
			await preferences.setTimeZone(locals.auth, values.timeZone);
			await account.updateProfile(locals.auth, input);
		} catch (error) {
			return failFrom(error, input);
		}
		return { saved: true };
	}
};
