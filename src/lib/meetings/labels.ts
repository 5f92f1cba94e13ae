import { m } from '$lib/paraglide/messages';
import { dayOf, formatDateTime, formatNumber, formatTime, zoneSuffix } from '$lib/i18n/format';
import { problemText } from '$lib/i18n/problems';
import type { MeetingStatus, MeetingView } from '$lib/shared/meetings';

const STATUS: Record<MeetingStatus, () => string> = {
	scheduled: m.meetings_status_scheduled,
	live: m.meetings_status_live,
	ended: m.meetings_status_ended
};
export const meetingStatusName = (s: MeetingStatus) => STATUS[s]();

export { formatTime };

/** "20 March 2026, 18:00 – 20:30" in the reader's zone (named once at the end when not the network's), or both
 * dates in full when it runs past midnight. */
export function timeRange(startsAt: number, endsAt: number): string {
	const end = dayOf(startsAt) === dayOf(endsAt) ? formatTime(endsAt) : formatDateTime(endsAt, { zoneNamed: false });
	return `${formatDateTime(startsAt, { zoneNamed: false })} – ${end}${zoneSuffix(startsAt)}`;
}

/** "2 h 30 min", "45 min". */
export function durationText(ms: number): string {
	const minutes = Math.max(0, Math.round(ms / 60_000));
	const h = Math.floor(minutes / 60);
	const min = minutes % 60;
	if (!h) return m.meetings_duration_minutes({ minutes: formatNumber(min) });
	if (!min) return m.meetings_duration_hours({ hours: formatNumber(h) });
	return m.meetings_duration_hours_minutes({ hours: formatNumber(h), minutes: formatNumber(min) });
}

/** "01:05" or "1:02:05": how long someone has been speaking. */
export function elapsed(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	const two = (n: number) => String(n).padStart(2, '0');
	const h = Math.floor(s / 3600);
	return h ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

/** The meeting's quorum rule in words. */
export function quorumRuleText(q: MeetingView['quorum']): string {
	if (q.kind === 'count') return m.meetings_quorum_rule_count({ count: formatNumber(q.value) });
	if (q.kind === 'share') return m.meetings_quorum_rule_share({ percent: formatNumber(Math.round(q.value * 1000) / 10) });
	return m.meetings_quorum_rule_none();
}

const PROBLEMS: Record<string, () => string> = {
	ends_before_starts: m.meetings_problem_ends_before_starts,
	place_or_link: m.meetings_problem_place_or_link,
	invalid_url: m.meetings_problem_invalid_url,
	too_many: m.meetings_problem_too_many,
	invalid_quorum: m.meetings_problem_invalid_quorum,
	invalid_date: m.meetings_problem_invalid_date,
	not_found: m.meetings_problem_link_not_found
};

/** A field problem of the meeting forms in the reader's language. */
export const meetingProblemText = (code: string | undefined | null): string | null => (code ? (PROBLEMS[code]?.() ?? problemText(code)) : null);

/** The day of the month and the short month name of `ms` in the reader's zone, for a calendar leaf. */
export function calendarLeaf(ms: number): { day: string; month: string } {
	const [, month, d] = dayOf(ms).split('-').map(Number);
	return { day: String(d), month: m.meetings_months_short().split(',')[month - 1] };
}
