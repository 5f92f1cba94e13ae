import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { DomainError, isDomainError } from '$lib/shared/errors';
import { linkedId } from '$lib/meetings/form';
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

/** A link the chair gave that the service refused: a field problem, not a page error. */
async function linked(work: Promise<unknown>, field: string): Promise<void> {
	try {
		await work;
	} catch (e) {
		if (isDomainError(e) && (e.code === 'not_found' || e.code === 'forbidden')) throw new DomainError('invalid_input', 'linked', { [field]: 'not_found' });
		throw e;
	}
}

export const actions: Actions = {
	/** A chair adds an item at the end of the agenda, optionally with a thread and a draft (by id or address). */
	addItem: async ({ request, locals, params }) => {
		const { meetings, forum, drafts } = appContext().services;
		const values = formValues(await request.formData(), ['title', 'thread', 'draft']);
		const id = idOf(params.id);
		try {
			const threadId = linkedId(values.thread, 'thread');
			const draftId = linkedId(values.draft, 'draft');
			const problems: Record<string, string> = {};
			if (!values.title.trim()) problems.title = 'required';
			if (values.thread.trim() && !threadId) problems.thread = 'not_found';
			if (values.draft.trim() && !draftId) problems.draft = 'not_found';
			if (Object.keys(problems).length) throw new DomainError('invalid_input', 'item', problems);
			if (threadId) await linked(forum.assertCanWatch(locals.auth, threadId), 'thread');
			if (draftId) await linked(drafts.get(locals.auth, draftId), 'draft');
			await meetings.addItem(locals.auth, id, { title: values.title, threadId, draftId });
		} catch (e) {
			return failFrom(e, values, 'addItem');
		}
		return { added: true };
	}
};
