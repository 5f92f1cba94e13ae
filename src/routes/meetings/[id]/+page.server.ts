import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { parseAgendaItemForm } from '$lib/meetings/form';
import type { Actions, PageServerLoad } from './$types';

const idOf = (raw: string) => {
	const id = Number(raw);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, m.error_not_found());
	return id;
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const meeting = await guarded(appContext().services.meetings.get(locals.auth, idOf(params.id)), url);
	return { meeting };
};

export const actions: Actions = {
	/** A chair adds an item at the end of the agenda, optionally with a thread and a draft (by id or address). */
	addItem: async ({ request, locals, params }) => {
		const values = formValues(await request.formData(), ['title', 'thread', 'draft']);
		return attempt(
			async () => {
				await appContext().services.meetings.addItem(locals.auth, idOf(params.id), parseAgendaItemForm(values));
				return { added: true };
			},
			values,
			'addItem'
		);
	}
};
