import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';

/** The services' refusals (DomainError messages) the pages word themselves, in the reader's language. */
const REFUSALS: Record<string, () => string> = {
	already_voted: m.vote_problem_already_voted,
	vote_not_open: m.vote_problem_not_open,
	not_eligible: m.vote_problem_not_eligible,
	not_voted: m.vote_problem_receipt_unknown,
	not_this_device: m.vote_problem_not_this_device,
	not_chair: m.live_error_not_chair,
	meeting_not_live: m.live_error_meeting_not_live,
	meeting_not_scheduled: m.live_error_meeting_not_scheduled,
	meeting_ended: m.live_error_meeting_ended,
	not_checked_in: m.live_error_not_checked_in,
	already_waiting: m.live_error_already_waiting,
	not_waiting: m.live_error_not_waiting,
	no_speaker: m.live_error_no_speaker,
	no_item: m.live_error_no_item,
	item_done: m.live_error_item_done,
	no_vote: m.live_error_no_vote,
	vote_not_scheduled: m.live_error_vote_not_scheduled,
	no_candidates: m.elect_problem_no_candidates,
	not_member: m.live_error_not_member,
	// PostgreSQL cannot be reached (src/lib/shared/database-away.ts): not the full disk the code alone would say.
	database_away: m.pgmove_database_away
};

/**
 * A refused socket acknowledgement as a sentence for the member: by the service's message where it is one of ours,
 * else by its code, which `byCode` may word for what the asking page knows (a ballot's unreadable input).
 */
export function refusalText(res: { code: string; message: string }, byCode: Record<string, () => string | null> = {}): string {
	return (REFUSALS[res.message] ?? byCode[res.code])?.() ?? failureText(res.code);
}

/** A refusal the service names by message (as a form action's field says it), in words; null when it is not one of ours. */
export const refusalMessage = (message: string): string | null => REFUSALS[message]?.() ?? null;
