import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { parseAgendaItemForm } from '$lib/meetings/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const meeting = await guarded(appContext().services.meetings.get(locals.auth, Number(params.id)), url);
	return { meeting };
};

export const actions: Actions = {
	/** A chair adds an item at the end of the agenda, optionally with a thread and a draft (by id or address). */
	addItem: async ({ request, locals, params }) => {
		const values = formValues(await request.formData(), ['title', 'thread', 'draft']);
		return attempt(
			async () => {
				await appContext().services.meetings.addItem(locals.auth, Number(params.id), parseAgendaItemForm(values));
				return { added: true };
			},
			values,
			'addItem'
		);
	}
};
