import { m } from '$lib/paraglide/messages';
import { problemText } from '$lib/i18n/problems';
import type { WebhookAttemptView } from '$lib/shared/webhooks';

const EVENTS: Record<string, () => string> = {
	'decision.made': m.hook_event_decision_made,
	'meeting.called': m.hook_event_meeting_called,
	'meeting.changed': m.hook_event_meeting_changed,
	'vote.opened': m.hook_event_vote_opened,
	'vote.closed': m.hook_event_vote_closed,
	'thread.created': m.hook_event_thread_created,
	'draft.frozen': m.hook_event_draft_frozen,
	'draft.adopted': m.hook_event_draft_adopted,
	ping: m.hook_event_ping
};

export const hookEventName = (type: string): string => EVENTS[type]?.() ?? type;

const PROBLEMS: Record<string, () => string> = {
	hook_url_invalid: m.hook_url_invalid,
	hook_url_scheme: m.hook_url_scheme,
	hook_url_credentials: m.hook_url_credentials,
	hook_url_private: m.hook_url_private,
	hook_url_unresolved: m.hook_url_unresolved,
	hook_too_many: m.hook_too_many,
	hook_disabled: m.hook_disabled_first
};

/** A form problem of the webhooks forms (the shared ones otherwise). */
export const hookProblemText = (code: string | undefined | null, field?: string): string | null => {
	if (!code) return null;
	if (field === 'events' && code === 'choose_one') return m.hook_events_required();
	return PROBLEMS[code]?.() ?? problemText(code);
};

/** One attempt's result as the log shows it: the status code, or why there was none. */
export function attemptResult(a: WebhookAttemptView): string {
	if (a.status !== null) return m.hook_result_status({ status: a.status });
	if (a.error === 'timeout') return m.hook_result_timeout();
	if (a.error && a.error in PROBLEMS) return PROBLEMS[a.error]();
	return m.hook_result_network({ code: a.error ?? '?' });
}
