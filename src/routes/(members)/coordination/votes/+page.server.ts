import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

/** The network's rules for votes that coordinators set: how many proxies one member may hold. */
export const load: PageServerLoad = async ({ locals, url }) => ({ proxyCap: await guarded(appContext().services.proxies.cap(locals.auth), url) });

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = formValues(await request.formData(), ['proxyCap']);
		// An empty field is no number (Number('') would read it as 0, turning proxies off unasked).
		const cap = values.proxyCap.trim() === '' ? Number.NaN : Number(values.proxyCap);
		return attempt(async () => ({ saved: (await appContext().services.proxies.setCap(locals.auth, cap), true) }), values);
	}
};
