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
	},
	/** A chair puts a consent round's objection on the agenda (`accept` = 1) or drops it. */
	decideProposal: async ({ request, locals, params }) => {
		const values = formValues(await request.formData(), ['proposal', 'accept']);
		return attempt(() => appContext().services.meetings.decideProposal(locals.auth, Number(params.id), Number(values.proposal), values.accept === '1'), values, 'proposal');
	},
	/** The author of an objection (on an open round) withdraws it. */
	withdrawProposal: async ({ request, locals, params }) => {
		const values = formValues(await request.formData(), ['proposal']);
		return attempt(() => appContext().services.meetings.withdrawProposal(locals.auth, Number(params.id), Number(values.proposal)), values, 'proposal');
	},
	/** A chair puts the minutes to approval: now, or as the first item of the body's next meeting. */
	putMinutes: async ({ request, locals, params }) => {
		const values = formValues(await request.formData(), ['when']);
		return attempt(
			async () => ({ minutesPut: await appContext().services.meetings.putMinutes(locals.auth, Number(params.id), values.when === 'now' ? 'now' : 'next') }),
			values,
			'putMinutes'
		);
	}
};
