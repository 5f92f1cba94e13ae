import { appContext } from '$lib/server/context';
import { attempt, formValues } from '$lib/server/forms';
import { guarded, signInFirst } from '$lib/server/guard';
import { proxyActions } from '$lib/server/proxies';
import { OPEN_VOTE_FIELDS } from '$lib/meetings/live/open-vote';
import { electionOfForm, parseVoteForm } from '$lib/votes/form';
import type { Actions, PageServerLoad } from './$types';

/**
 * The live room: the meeting, the room as it is now (the socket takes over in the browser), the current item's
 * votes with this member's part in each, and whether they have a proxy to give. The room lives on a signed-in socket,
 * so visitors sign in first.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.auth) signInFirst(url.pathname);
	const { meetings, votes, proxies } = appContext().services;
	const id = Number(params.id);
	const [meeting, live] = await guarded(Promise.all([meetings.get(locals.auth, id), meetings.state(locals.auth, id)]), url);
	const item = meeting.agenda.find((a) => a.id === live.currentItemId);
	const itemVotes = live.votes.filter((v) => item && v.itemId === item.id && v.status !== 'cancelled');
	const [shown, mayGiveProxy] = await guarded(Promise.all([Promise.all(itemVotes.map((v) => votes.get(locals.auth, v.id))), proxies.mayGive(locals.auth, { meetingId: id })]), url);
	return { meeting, live, votes: shown, mayGiveProxy };
};

export const actions: Actions = {
	/** A chair opens a vote (or calls an election) on an agenda item; the room hears of it over the socket. */
	openVote: async ({ request, locals, params }) => {
		const values = formValues(await request.formData(), OPEN_VOTE_FIELDS);
		// An election waits for its candidates: a ranked vote for `seats`, opened from the room by its chair.
		const election = electionOfForm(values.method, values.seats);
		const { input, problems } = parseVoteForm((k) => (k === 'method' && election ? 'ranked' : ((values as Record<string, string>)[k] ?? '')));
		return attempt(
			async () => ({ opened: await appContext().services.meetings.openVote(locals.auth, Number(params.id), Number(values.itemId) || 0, input, problems, election) }),
			values,
			'openVote'
		);
	},
	/** A member revokes the proxy they gave for the meeting, from the room (giving it is on the proxy page). */
	revoke: proxyActions((params) => ({ meetingId: Number(params.id) })).revoke
};
