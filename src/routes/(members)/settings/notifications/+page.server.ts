import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { failFrom, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ settings: await guarded(appContext().services.account.settings(locals.auth)) });

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const data = await request.formData();
		const input = { inApp: data.get('inApp') === 'on', email: formValues(data, ['email']).email };
		try {
			await appContext().services.account.updateNotifications(locals.auth, input);
		} catch (error) {
			return failFrom(error, input);
		}
		return { saved: true };
	}
};
