import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ resetsByMail: appContext().services.account.resetsByMail });

export const actions: Actions = {
	default: async ({ request, getClientAddress }) => {
		const values = formValues(await request.formData(), ['email']);
		try {
			await appContext().services.account.requestPasswordReset(values.email, { ip: getClientAddress() });
		} catch (error) {
			return failFrom(error, values);
		}
		// The same answer whether or not an account has this email.
		return { sent: true, email: values.email };
	}
};
