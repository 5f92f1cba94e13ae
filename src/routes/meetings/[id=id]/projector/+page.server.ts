import { renderSVG } from 'uqr';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { VoteOption, VoteTally } from '$lib/shared/votes';
import type { PageServerLoad } from './$types';

/**
 * The wall: the meeting, its room as it is, the options of its votes (to name results), and a QR code to the live
 * room. A public meeting's wall is open to visitors (their tab follows the room as a visitor's socket); any other
 * meeting's sends a visitor to sign in (the services refuse it to them).
 */
export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
	depends('app:projector');
	const id = Number(params.id);
	const { meetings, votes } = appContext().services;
	const meeting = await guarded(meetings.get(locals.auth, id), url);
	const state = await guarded(meetings.state(locals.auth, id), url);
	const options: Record<number, VoteOption[]> = {};
	const tallies: VoteTally[] = [];
	// A vote waiting to open is not on the wall, and an election's options (its candidates) are fixed only at opening:
	// the wall reads them once the vote has opened.
	await Promise.all(
		state.votes.filter((v) => v.status !== 'scheduled').map(async (v) => {
			options[v.id] = (await votes.get(locals.auth, v.id)).options;
			tallies.push((await votes.watch(locals.auth, v.id)).tally);
		})
	);
	const liveUrl = `${url.origin}/meetings/${id}/live`;
	return { meeting, state, options, tallies, liveUrl, qr: renderSVG(liveUrl, { ecc: 'M', border: 2 }) };
};
