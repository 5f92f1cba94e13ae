import { untrack } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';
import { refusalMessage, refusalText } from '$lib/realtime/refusals';
import { sharedSocket } from '$lib/realtime/socket';
import type { CastOutcome, VoteView } from '$lib/shared/votes';
import { ballotCheck, ballotOf, type CastProblem } from './ballot';
import { castUntilAnswered } from './cast-sender';
import { DeviceBallot, type DeviceCast } from './device-ballot';
import { ballotProblemText } from './labels';

/** Sends of one cast over the socket before it is left to the member to press again (each waits for a connection). */
const SENDS = 3;
const ACK_MS = 10_000;
const RECONNECT_MS = 15_000;

/**
 * One member's ballot on one vote, wherever it is shown (the vote's page, the meeting's live room): what this device
 * keeps (the receipt, a secret ballot's change key, a cast not answered yet: DeviceBallot), whether a ballot was just
 * cast or is being changed, and casting it — over the member's socket when it is connected (answered by an
 * acknowledgement, and sent again with the same cast id when the connection drops first), otherwise, and without
 * script, through the vote page's `cast` form action.
 */
export class BallotState {
	/** The receipt kept on this device for this vote ('' when none). */
	stored = $state('');
	/** Whether this device holds the change key of its secret ballot (open ballots are changed by their voter). */
	#hasKey = $state(false);
	/** Cast from this page just now: whether it changed an earlier ballot. */
	fresh = $state<{ changed: boolean } | null>(null);
	changing = $state(false);
	/** Why the last attempt was refused, as the member reads it. */
	error = $state<string | null>(null);
	busy = $state(false);
	/** The connection dropped before the answer: the same cast is being sent again. */
	resending = $state(false);
	/** A refusal the page brought from the form action is shown only until the next attempt. */
	#retried = $state(false);

	constructor(
		private readonly vote: () => VoteView,
		/** After a counted ballot: what the page reloads or watches again. */
		private readonly after: (outcome: CastOutcome) => void
	) {}

	get #device(): DeviceBallot {
		const vote = this.vote();
		// On a vote of two chambers a representative has a ballot as themselves and one per organisation: kept apart.
		return new DeviceBallot(vote.id, vote.chambers ? vote.me.organisation?.id : undefined, vote.me.giver?.id);
	}

	/** Whether the ballot can be changed from here: a secret one only on the device that cast it. */
	get changeable(): boolean {
		return !this.vote().secret || (!!this.stored && this.#hasKey);
	}

	/**
	 * Reads what the device keeps for the vote (browser only: call from an effect, which reruns for another vote). A
	 * first cast left without an answer, of a ballot the server says was counted, is sent again for its receipt.
	 */
	load(): void {
		const device = this.#device;
		this.stored = device.receipt;
		this.#hasKey = !!device.changeKey;
		const pending = device.pending;
		if (pending && !pending.replace && this.vote().me.voted && !untrack(() => this.busy)) void this.#send(pending);
	}

	keep(receipt: string): void {
		this.stored = receipt;
		this.#device.receipt = receipt;
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

	/** What to show under the ballot: this page's refusal, else the form action's (until the next attempt). */
	shown(problem: CastProblem | null, replace: boolean): string | null {
		return this.error ?? (problem && !this.#retried ? formProblemText(problem, this.vote(), replace) : null);
	}

	/** The ballot form's submit (`enhance`): checked here first (the server checks again), then cast. */
	submit({ formData, cancel }: Parameters<SubmitFunction>[0], replace: boolean): ReturnType<SubmitFunction> {
		const vote = this.vote();
		const code = ballotCheck(vote, formData);
		const refused = code ? ballotProblemText(code, vote.method) : replace && !this.changeable ? m.vote_problem_not_this_device() : null;
		const ballot = ballotOf(vote.method, formData);
		if (refused || !ballot) {
			this.error = refused;
			cancel();
			return;
		}
		this.#retried = true;
		const cast = this.#device.prepare(ballot, replace, vote.secret, vote.me.organisation?.id, vote.me.giver?.id);
		if (sharedSocket().connected) {
			cancel();
			void this.#send(cast);
			return;
		}
		for (const field of ['castId', 'changeKey', 'receipt'] as const) if (cast[field]) formData.set(field, cast[field]);
		this.error = null;
		this.busy = true;
		return async ({ result, update }) => {
			this.busy = false;
			this.#retried = false;
			if (result.type === 'success' && result.data && 'receipt' in result.data) this.#counted(cast, result.data as unknown as CastOutcome);
			else {
				// A refusal is an answer; an error or a lost request is not, and the next press sends this cast again.
				if (result.type === 'failure') this.#device.answered(cast, null);
				await update({ reset: false });
			}
		};
	}

	/** Sends a cast over the socket until it is answered (castUntilAnswered), showing when it is being sent again. */
	async #send(cast: DeviceCast): Promise<void> {
		this.error = null;
		this.busy = true;
		const options = { sends: SENDS, ackMs: ACK_MS, reconnectMs: RECONNECT_MS, onResend: () => (this.resending = true) };
		const answer = await castUntilAnswered(sharedSocket(), { voteId: this.vote().id, ...cast }, options);
		this.busy = false;
		this.resending = false;
		if (!answer) this.error = m.vote_cast_unanswered();
		else if (answer.ok) this.#counted(cast, answer);
		else {
			this.#device.answered(cast, null);
			this.error = refusalText(answer, { invalid_input: () => ballotProblemText('invalid_choice', this.vote().method) });
		}
	}

	#counted(cast: DeviceCast, outcome: CastOutcome): void {
		this.#device.answered(cast, outcome.receipt);
		if (outcome.receipt) this.stored = outcome.receipt;
		this.#hasKey ||= !!(cast.changeKey && !cast.replace);
		this.fresh = { changed: outcome.changed };
		this.changing = false;
		this.after(outcome);
	}
}

/** A cast the form action refused, in words: the action cannot say which conflict it was; the reloaded vote can. */
function formProblemText(problem: CastProblem, vote: VoteView, replace: boolean): string | null {
	const said = problem.fields?.ballot;
	const refusal = said ? refusalMessage(said) : null;
	if (refusal) return refusal;
	// Nothing chosen reaches the server as an unreadable ballot.
	const nothing = said === 'invalid_choice' && !problem.values?.choice && !problem.values?.option && ['yes_no', 'consent', 'single'].includes(vote.method);
	if (said) return ballotProblemText(nothing ? 'choose' : said, vote.method);
	if (problem.code === 'conflict') return vote.status !== 'open' ? m.vote_problem_not_open() : replace ? m.vote_problem_receipt_unknown() : m.vote_problem_already_voted();
	if (problem.code === 'forbidden') return m.vote_problem_not_eligible();
	return failureText(problem.code);
}
