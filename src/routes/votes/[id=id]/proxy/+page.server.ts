import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { proxyActions } from '$lib/server/proxies';
import type { Actions, PageServerLoad } from './$types';

/** A member's proxy for one vote: give it, revoke it before the vote opens, and see whose proxies they hold. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { votes, proxies } = appContext().services;
	const id = Number(params.id);
	const vote = await guarded(votes.get(locals.auth, id), url);
	return { vote: { id: vote.id, title: vote.title }, proxies: await guarded(proxies.view(locals.auth, { voteId: id }), url) };
};

export const actions: Actions = proxyActions((params) => ({ voteId: Number(params.id) }));
