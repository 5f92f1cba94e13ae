import { ballotFromForm, ballotProblem, type Ballot, type VoteView } from '$lib/shared/votes';

const strings = (data: FormData, key: string) => data.getAll(key).filter((v): v is string => typeof v === 'string');

/** The ballot a submitted ballot form holds (the same reading as the form action's). */
export const ballotOf = (method: VoteView['method'], data: FormData): Ballot | null =>
	ballotFromForm(method, (k) => strings(data, k)[0] ?? '', (k) => strings(data, k));

/**
 * What is wrong with a ballot before it is sent, as the vote page words it: the server's own check (ballotProblem,
 * which it makes again), after two only a form can have: `choose` (nothing chosen) and `same_rank`.
 */
export function ballotCheck(vote: Pick<VoteView, 'method' | 'options' | 'minApprovals' | 'maxApprovals'>, data: FormData): string | null {
	const ballot = ballotOf(vote.method, data);
	if (!ballot) return 'choose';
	if (ballot.method === 'ranked') {
		const ranks = strings(data, 'ranked').map((o) => strings(data, `rank_${o}`)[0] ?? '').filter(Boolean);
		if (new Set(ranks).size !== ranks.length) return 'same_rank';
		if (!ballot.ranking.length) return 'choose';
	}
	if (ballot.method === 'approval' && !ballot.options.length && (vote.minApprovals ?? 0) > 0) return 'choose';
	return ballotProblem({ method: vote.method, options: vote.options.map((o) => o.id), minApprovals: vote.minApprovals ?? undefined, maxApprovals: vote.maxApprovals ?? undefined }, ballot);
}

/** A failed cast as the form action returns it (FormProblem with form 'cast'). */
export interface CastProblem {
	code: string;
	fields?: Record<string, string>;
	values?: Record<string, string>;
}

/** A vote of two chambers as each of the viewer's organisations votes in it: the vote with `me` as that seat. */
export const seatViews = (vote: VoteView): VoteView[] => (vote.chambers?.seats ?? []).map((seat) => ({ ...vote, me: seat }));

/** The vote as the viewer casts it for each member whose proxy they hold. */
export const proxyViews = (vote: VoteView): VoteView[] => (vote.proxySeats ?? []).map((seat) => ({ ...vote, me: seat }));
