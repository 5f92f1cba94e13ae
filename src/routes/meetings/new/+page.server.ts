import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formList, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { MEETING_FORM_FIELDS, parseMeetingForm } from '$lib/meetings/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const options = await guarded(appContext().services.meetings.creationOptions(locals.auth), url);
	return { ...options, group: url.searchParams.get('group') ?? '' };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const data = await request.formData();
		const values = formValues(data, MEETING_FORM_FIELDS);
		const chairIds = formList(data, 'chairIds');
		const names = formList(data, 'chairNames');
		// The chairs picked come back with their names, so a refused form shows them again.
		const chairs = chairIds.map((id, i) => ({ id: Number(id), name: names[i] ?? '' })).filter((c) => c.id > 0);
		const { input, problems } = parseMeetingForm((k) => values[k as keyof typeof values] ?? '', chairIds);
		let id: number;
		try {
			id = await appContext().services.meetings.create(locals.auth, input, locals.auth?.viewer.locale, problems);
		} catch (error) {
			return failFrom(error, { ...values, chairs });
		}
		redirect(303, `/meetings/${id}`);
	}
};
