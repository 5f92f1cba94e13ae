import { appContext } from '$lib/server/context';
import { attempt, formList, formValues } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { ballotFromForm } from '$lib/shared/votes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { votes, elections, meetings } = appContext().services;
	const id = Number(params.id);
	const vote = await guarded(votes.get(locals.auth, id), url);
	const published = vote.status === 'closed' ? await votes.published(locals.auth, id) : [];
	// A consent round's objections, carried to the body's next meeting.
	const followUps = vote.status === 'closed' && vote.method === 'consent' ? await meetings.followUps(locals.auth, id) : [];
	return { vote, published, election: await elections.view(locals.auth, id), followUps };
};

/**
 * The ballot form (field names as ballotFromForm reads them) with `replace` ('1' to change a cast ballot), `receipt`
 * (secret votes: the ballot to change) and `organisation` (organisation votes, for a representative of several); the
 * page's script adds `castId` and `changeKey` (the device's tokens, never sent back). Answers `{ receipt, changed }`;
 * a refusal keeps what was chosen.
 */
export const actions: Actions = {
	cast: async ({ request, locals, params }) => {
		const { votes } = appContext().services;
		const data = await request.formData();
		const v = formValues(data, ['method', 'choice', 'reason', 'option', 'replace', 'receipt', 'organisation', 'proxyFor']);
		const { castId, changeKey } = formValues(data, ['castId', 'changeKey']);
		const id = Number(params.id);
		return attempt(async () => {
			const view = await votes.get(locals.auth, id);
			const ballot = ballotFromForm(view.method, (k) => formValues(data, [k])[k], (k) => formList(data, k));
			const receipt = v.receipt.trim().toUpperCase() || undefined;
			return votes.cast(locals.auth, id, { ballot, replace: v.replace === '1', receipt, organisationId: Number(v.organisation) || undefined, proxyFor: Number(v.proxyFor) || undefined, castId: castId || undefined, changeKey: changeKey || undefined });
		}, v, 'cast');
	},
	open: async ({ locals, params }) => attempt(async () => ({ opened: (await appContext().services.votes.open(locals.auth, Number(params.id)), true) })),
	close: async ({ locals, params }) => attempt(async () => ({ closed: (await appContext().services.votes.close(locals.auth, Number(params.id))).outcome })),
	cancel: async ({ locals, params }) => attempt(async () => ({ cancelled: (await appContext().services.votes.cancel(locals.auth, Number(params.id)), true) })),
	// Elections: stand with a statement, or withdraw, during the candidacy period.
	stand: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['statement']);
		return attempt(async () => ({ standing: (await appContext().services.elections.stand(locals.auth, Number(params.id), v.statement), true) }), v, 'stand');
	},
	withdraw: async ({ locals, params }) => attempt(async () => ({ withdrawn: (await appContext().services.elections.withdraw(locals.auth, Number(params.id)), true) }), {}, 'withdraw')
};
