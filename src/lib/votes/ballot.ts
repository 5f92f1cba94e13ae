import { ballotFromForm, type Ballot, type VoteView } from '$lib/shared/votes';

const strings = (data: FormData, key: string) => data.getAll(key).filter((v): v is string => typeof v === 'string');

/** The ballot a submitted ballot form holds (the same reading as the form action's). */
export const ballotOf = (method: VoteView['method'], data: FormData): Ballot | null =>
	ballotFromForm(method, (k) => strings(data, k)[0] ?? '', (k) => strings(data, k));

/**
 * What is wrong with a ballot before it is sent, as the vote page words it (the server checks again): the same
 * codes as server/domain/votes.ts ballotProblem, plus `choose` (nothing chosen) and `same_rank`.
 */
export function ballotCheck(vote: Pick<VoteView, 'method' | 'options' | 'minApprovals' | 'maxApprovals'>, data: FormData): string | null {
	const ballot = ballotOf(vote.method, data);
	if (!ballot) return 'choose';
	switch (ballot.method) {
		case 'approval':
			if (ballot.options.length < (vote.minApprovals ?? 0)) return ballot.options.length ? 'too_few' : 'choose';
			return ballot.options.length > (vote.maxApprovals ?? vote.options.length) ? 'too_many' : null;
		case 'ranked': {
			const ranks = strings(data, 'ranked').map((o) => strings(data, `rank_${o}`)[0] ?? '').filter(Boolean);
			if (new Set(ranks).size !== ranks.length) return 'same_rank';
			return ballot.ranking.length ? null : 'choose';
		}
		case 'score':
			return vote.options.every((o) => Number.isInteger(ballot.scores[o.id])) ? null : 'incomplete';
		case 'consent':
			return (ballot.choice === 'object' || ballot.choice === 'block') && !ballot.reason?.trim() ? 'reason_required' : null;
		default:
			return null;
	}
}

/** A failed cast as the form action returns it (FormProblem with form 'cast'). */
export interface CastProblem {
	code: string;
	fields?: Record<string, string>;
	values?: Record<string, string>;
}
