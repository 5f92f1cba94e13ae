import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { failFrom, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { electionOfForm, parseVoteForm, VOTE_FORM_FIELDS } from '$lib/votes/form';
import { isDomainError } from '$lib/shared/errors';
import type { AmendmentProposal } from '$lib/shared/drafts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { votes } = appContext().services;
	const options = await guarded(votes.creationOptions(locals.auth), url);
	const q = (k: string) => url.searchParams.get(k) ?? '';
	const subject = { thread: q('thread'), draft: q('draft'), version: q('version'), amendment: q('amendment') };
	// The title of what the vote will hang on, when the reader may see it (the service checks again on creating).
	const id = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : 0);
	const title = subject.amendment ? '' : await votes.subjectTitle(locals.auth, { draftId: id(subject.draft), threadId: id(subject.thread) });
	const decided = await votes.subjectDecision(locals.auth, { draftId: id(subject.draft), versionNumber: id(subject.version) });
	// "Put to a vote" from an amendment: the form comes filled in (or says why it cannot be put).
	let proposal: AmendmentProposal | null = null;
	let proposalProblem: string | null = null;
	if (subject.amendment) {
		try {
			proposal = await votes.amendmentProposal(locals.auth, id(subject.amendment));
		} catch (error) {
			if (!isDomainError(error)) throw error;
			proposalProblem = error.fields.subject ?? error.code;
		}
	}
	return { ...options, subject, subjectTitle: proposal?.draftTitle ?? title, decided, proposal, proposalProblem };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = formValues(await request.formData(), VOTE_FORM_FIELDS);
		// An election is a ranked vote for `seats`, its candidacy period running until it opens (ElectionsService).
		const election = electionOfForm(values.method, values.seats);
		const { input, subject, openNow, problems } = parseVoteForm((k) => (k === 'method' && election ? 'ranked' : (values[k as keyof typeof values] ?? '')));
		let id: number;
		try {
			id = await appContext().services.votes.create(locals.auth, input, subject, election ? false : openNow, problems, election);
		} catch (error) {
			return failFrom(error, values);
		}
		redirect(303, `/votes/${id}`);
	}
};
