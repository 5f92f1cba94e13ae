import type { SubmitFunction } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';
import { refusalText } from '$lib/realtime/refusals';
import { sharedSocket } from '$lib/realtime/socket';
import type { CastOutcome, VoteView } from '$lib/shared/votes';
import { ballotCheck, ballotOf, type CastProblem } from './ballot';
import { ballotProblemText } from './labels';

/** Where this device keeps its receipt for a vote (the vote's page and the live room read the same one). */
const receiptKey = (voteId: number) => `kuvend:receipt:${voteId}`;

/**
 * One member's ballot on one vote, wherever it is shown (the vote's page, the meeting's live room): the receipt this
 * device keeps (secret ballots are changed by it; the published list finds it), whether a ballot was just cast or is
 * being changed, and casting it — over the member's socket when it is connected (answered by an acknowledgement),
 * otherwise, and without script, through the vote page's `cast` form action.
 */
export class BallotState {
	/** The receipt kept on this device for this vote ('' when none). */
	stored = $state('');
	/** Cast from this page just now: whether it changed an earlier ballot. */
	fresh = $state<{ changed: boolean } | null>(null);
	changing = $state(false);
	/** Why the last attempt was refused, as the member reads it. */
	error = $state<string | null>(null);
	busy = $state(false);
	/** A refusal the page brought from the form action is shown only until the next attempt. */
	#retried = $state(false);

	constructor(
		private readonly vote: () => VoteView,
		/** After a counted ballot: what the page reloads or watches again. */
		private readonly after: (outcome: CastOutcome) => void
	) {}

	/** Reads the receipt kept for the vote (browser only: call from an effect, which reruns for another vote). */
	load(): void {
		this.stored = localStorage.getItem(receiptKey(this.vote().id)) ?? '';
	}

	keep(receipt: string): void {
		this.stored = receipt;
		localStorage.setItem(receiptKey(this.vote().id), receipt);
	}

	startChange(): void {
		this.changing = true;
		this.fresh = null;
		this.error = null;
	}

	stopChange(): void {
		this.changing = false;
		this.error = null;
	}

	#counted(outcome: CastOutcome): void {
		if (outcome.receipt) this.keep(outcome.receipt);
		this.fresh = { changed: outcome.changed };
		this.changing = false;
		this.after(outcome);
	}

	/** What to show under the ballot: this page's refusal, else the form action's (until the next attempt). */
	shown(problem: CastProblem | null, replace: boolean): string | null {
		return this.error ?? (problem && !this.#retried ? formProblemText(problem, this.vote(), replace) : null);
	}

	/** The ballot form's submit (`enhance`): checked here first (the server checks again), then cast. */
	submit({ formData, cancel }: Parameters<SubmitFunction>[0], replace: boolean): ReturnType<SubmitFunction> {
		const vote = this.vote();
		const code = ballotCheck(vote, formData);
		const receipt = String(formData.get('receipt') ?? '').trim();
		const refused = code ? ballotProblemText(code, vote.method) : replace && vote.secret && !receipt ? m.vote_problem_receipt_required() : null;
		if (refused) {
			this.error = refused;
			cancel();
			return;
		}
		this.error = null;
		this.busy = true;
		this.#retried = true;
		const socket = sharedSocket();
		if (socket.connected) {
			cancel();
			const payload = { voteId: vote.id, ballot: ballotOf(vote.method, formData), replace, receipt: receipt.toUpperCase() || undefined, organisationId: vote.me.organisation?.id };
			socket.timeout(10_000).emit('vote:cast', payload, (err, res) => {
				this.busy = false;
				if (err) this.error = failureText('internal');
				else if (res.ok) this.#counted({ receipt: res.receipt, changed: res.changed });
				else this.error = refusalText(res, { invalid_input: () => ballotProblemText('invalid_choice', vote.method) });
			});
			return;
		}
		return async ({ result, update }) => {
			this.busy = false;
			this.#retried = false;
			if (result.type === 'success' && result.data && 'receipt' in result.data) this.#counted(result.data as unknown as CastOutcome);
			else await update({ reset: false });
		};
	}
}

/** A cast the form action refused, in words: the action cannot say which conflict it was; the reloaded vote can. */
function formProblemText(problem: CastProblem, vote: VoteView, replace: boolean): string | null {
	// Nothing chosen reaches the server as an unreadable ballot.
	const nothing = problem.fields?.ballot === 'invalid_choice' && !problem.values?.choice && !problem.values?.option && ['yes_no', 'consent', 'single'].includes(vote.method);
	if (problem.fields?.ballot) return ballotProblemText(nothing ? 'choose' : problem.fields.ballot, vote.method);
	if (problem.fields?.receipt) return m.vote_problem_receipt_required();
	if (problem.code === 'conflict') return vote.status !== 'open' ? m.vote_problem_not_open() : replace ? m.vote_problem_receipt_unknown() : m.vote_problem_already_voted();
	if (problem.code === 'forbidden') return m.vote_problem_not_eligible();
	if (problem.code === 'not_found') return m.vote_problem_receipt_unknown();
	return failureText(problem.code);
}
