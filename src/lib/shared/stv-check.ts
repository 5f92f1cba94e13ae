/**
 * "Check this result" for elections: recounts the published ballots with the same count the server ran (stv.ts) and
 * says whether every stage matches the published result, or the first that does not. Pure, for the browser.
 */
import { scottishStv, type StvCount } from './stv.js';
import type { PublishedBallot, VoteOption } from './votes.js';

export type StvCheck = { matches: true; ballots: number; stages: number } | { matches: false; stage: number | null; elected: number[] };

export function checkStv(published: StvCount, options: VoteOption[], ballots: PublishedBallot[]): StvCheck {
	const rankings = ballots.map((b) => (b.ballot.method === 'ranked' ? b.ballot.ranking : []));
	const recount = scottishStv(
		options.map((o) => o.id),
		rankings,
		published.seats,
		published.lot.seed
	);
	const length = Math.max(recount.stages.length, published.stages.length);
	for (let i = 0; i < length; i++) {
		if (JSON.stringify(recount.stages[i]) !== JSON.stringify(published.stages[i])) return { matches: false, stage: i + 1, elected: recount.elected };
	}
	if (recount.quota !== published.quota || recount.valid !== published.valid || recount.elected.join() !== published.elected.join()) return { matches: false, stage: null, elected: recount.elected };
	return { matches: true, ballots: ballots.length, stages: recount.stages.length };
}
