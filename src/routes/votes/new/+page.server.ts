import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { DomainError } from '$lib/shared/errors';
import { parseVoteForm, VOTE_FORM_FIELDS } from '$lib/votes/form';
import { voteInputProblems } from '../../../../server/domain/votes.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { votes, forum, drafts } = appContext().services;
	const options = await guarded(votes.creationOptions(locals.auth), url);
	const q = (k: string) => url.searchParams.get(k) ?? '';
	const subject = { thread: q('thread'), draft: q('draft'), version: q('version'), amendment: q('amendment') };
	// The title of what the vote will hang on, when the reader may see it (the service checks again on creating).
	const id = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : 0);
	const title = subject.amendment
		? ''
		: subject.draft
			? await drafts.get(locals.auth, id(subject.draft)).then((d) => d.title, () => '')
			: subject.thread
				? await forum.thread(locals.auth, id(subject.thread)).then((t) => t.thread.title, () => '')
				: '';
	return { ...options, subject, subjectTitle: title };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = formValues(await request.formData(), VOTE_FORM_FIELDS);
		const { input, subject, openNow, problems } = parseVoteForm((k) => values[k as keyof typeof values] ?? '');
		let id: number;
		try {
			// What cannot even be read is refused here, together with the domain's own problems (the rules are pure).
			if (Object.keys(problems).length) throw new DomainError('invalid_input', 'vote form', { ...voteInputProblems(input, Date.now()), ...problems });
			id = await appContext().services.votes.create(locals.auth, input, subject, openNow);
		} catch (error) {
			return failFrom(error, values);
		}
		redirect(303, `/votes/${id}`);
	}
};
