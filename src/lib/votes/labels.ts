import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/i18n/format';
import { failureText, problemText } from '$lib/i18n/problems';
import { stvReason } from './stv-words';
import type { Chamber } from '$lib/shared/chambers';
import type { Ballot, ConsentChoice, Eligibility, Method, Outcome, ResultsVisibility, Threshold, VoteOption, VoteResult, VoteStatus, VoteView, YesNo } from '$lib/shared/votes';

const STATUS: Record<VoteStatus, () => string> = {
	scheduled: m.vote_status_scheduled,
	open: m.vote_status_open,
	closed: m.vote_status_closed,
	cancelled: m.vote_status_cancelled
};
export const statusName = (s: VoteStatus) => STATUS[s]();

const METHOD: Record<Method, [name: () => string, help: () => string]> = {
	yes_no: [m.vote_method_yes_no, m.vote_method_yes_no_help],
	single: [m.vote_method_single, m.vote_method_single_help],
	approval: [m.vote_method_approval, m.vote_method_approval_help],
	ranked: [m.vote_method_ranked, m.vote_method_ranked_help],
	score: [m.vote_method_score, m.vote_method_score_help],
	consent: [m.vote_method_consent, m.vote_method_consent_help]
};
export const methodName = (method: Method) => METHOD[method][0]();
export const methodHelp = (method: Method) => METHOD[method][1]();

/** Who votes, in words; `chambers`: a vote of two chambers (its organisations counted apart). */
export function eligibilityName(e: Eligibility, group: { name: string } | null, chambers = false): string {
	const who =
		e === 'group' ? (group ? m.vote_eligibility_group({ group: group.name }) : m.vote_eligibility_group_any()) : e === 'organisations' ? m.vote_eligibility_organisations() : m.vote_eligibility_members();
	return chambers ? m.chamber_eligibility({ who }) : who;
}

const CHAMBER: Record<Chamber, () => string> = { organisations: m.chamber_name_organisations, members: m.chamber_name_members };
/** A chamber's name ("Organisations' chamber"). */
export const chamberName = (c: Chamber) => CHAMBER[c]();

const THRESHOLD: Record<Threshold, () => string> = {
	simple: m.vote_threshold_simple,
	two_thirds: m.vote_threshold_two_thirds,
	absolute: m.vote_threshold_absolute
};
export const thresholdText = (t: Threshold) => THRESHOLD[t]();

const RESULTS: Record<ResultsVisibility, () => string> = {
	live: m.vote_results_live,
	after_voting: m.vote_results_after_voting,
	after_close: m.vote_results_after_close
};
export const resultsText = (r: ResultsVisibility, secret: boolean) => (secret ? m.vote_results_secret_note() : RESULTS[r]());

export const percent = (part: number, whole: number) => formatNumber(whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

export function quorumRule(q: VoteView['quorum']): string {
	if (q.kind === 'count') return m.vote_rule_quorum_count({ count: formatNumber(q.value) });
	if (q.kind === 'share') return m.vote_rule_quorum_share({ percent: formatNumber(Math.round(q.value * 1000) / 10) });
	return m.vote_rule_quorum_none();
}

const YES_NO: Record<YesNo, () => string> = { yes: m.vote_yes, no: m.vote_no, abstain: m.vote_abstain };
const CONSENT: Record<ConsentChoice, () => string> = {
	agree: m.vote_consent_agree,
	abstain: m.vote_consent_abstain,
	object: m.vote_consent_object,
	block: m.vote_consent_block
};
export const yesNoName = (c: YesNo) => YES_NO[c]();
export const consentName = (c: ConsentChoice) => CONSENT[c]();
/** Names of what a result counts, by key: options by id, or the fixed choices of yes/no and consent. */
export function countName(key: string, options: VoteOption[]): string {
	if (key in YES_NO) return YES_NO[key as YesNo]();
	if (key in CONSENT) return CONSENT[key as ConsentChoice]();
	return optionLabel(options, Number(key));
}

export const optionLabel = (options: VoteOption[], id: number) => options.find((o) => o.id === id)?.label ?? `#${id}`;

/** A ballot in words, as the published list and "your choice" show it. */
export function ballotText(b: Ballot, options: VoteOption[]): string {
	switch (b.method) {
		case 'yes_no':
			return yesNoName(b.choice);
		case 'single':
			return optionLabel(options, b.option);
		case 'approval':
			return b.options.map((o) => optionLabel(options, o)).join(', ') || '—';
		case 'ranked':
			return b.ranking.map((o, i) => `${i + 1}. ${optionLabel(options, o)}`).join('  ');
		case 'score':
			return options.map((o) => `${o.label}: ${b.scores[o.id] ?? 0}`).join(' · ');
		case 'consent':
			return b.reason?.trim() ? `${consentName(b.choice)} — ${b.reason.trim()}` : consentName(b.choice);
	}
}

/** The outcome as a heading ("Passed", "Chosen: Korça"). */
export function outcomeName(outcome: Outcome, winners: number[] = [], options: VoteOption[] = []): string {
	switch (outcome) {
		case 'passed':
			return m.vote_outcome_passed();
		case 'failed':
			return m.vote_outcome_failed();
		case 'no_quorum':
			return m.vote_outcome_no_quorum();
		case 'elected':
			return winners.length ? m.vote_outcome_elected({ option: winners.map((w) => optionLabel(options, w)).join(', ') }) : m.vote_outcome_elected_short();
		case 'tie':
			return m.vote_outcome_tie();
		case 'no_votes':
			return m.vote_outcome_no_votes();
		case 'blocked':
			return m.vote_outcome_blocked();
	}
}

/** Why, with the numbers, in the reader's language. */
export function reasonText(r: VoteResult, options: VoteOption[]): string {
	const c = (k: string) => formatNumber(r.counts[k] ?? 0);
	const winner = r.winners[0];
	const label = winner !== undefined ? optionLabel(options, winner) : '';
	// Single, approval and score with no ballot at all name no winner.
	if (r.outcome === 'no_votes' && (r.reason === 'most_votes' || r.reason === 'highest_score')) return m.vote_reason_nobody_voted();
	switch (r.reason) {
		case 'majority_of_cast':
			return m.vote_reason_majority_of_cast({ yes: c('yes'), no: c('no') });
		case 'more_against':
			return m.vote_reason_more_against({ yes: c('yes'), no: c('no') });
		case 'tie_is_rejection':
			return m.vote_reason_tie_is_rejection({ yes: c('yes'), no: c('no') });
		case 'two_thirds_of_cast':
			return m.vote_reason_two_thirds_of_cast({ yes: c('yes'), no: c('no') });
		case 'short_of_two_thirds':
			return m.vote_reason_short_of_two_thirds({ yes: c('yes'), no: c('no') });
		case 'majority_of_eligible':
			return m.vote_reason_majority_of_eligible({ yes: c('yes'), eligible: formatNumber(r.eligible) });
		case 'short_of_majority_of_eligible':
			return m.vote_reason_short_of_majority_of_eligible({ yes: c('yes'), eligible: formatNumber(r.eligible), needed: formatNumber(Math.floor(r.eligible / 2) + 1) });
		case 'only_abstentions':
			return m.vote_reason_only_abstentions({ abstain: c('abstain') });
		case 'block':
			return m.vote_reason_block({ block: c('block') });
		case 'consent':
			return r.outcome === 'no_votes' ? m.vote_reason_consent_nobody({ abstain: c('abstain') }) : m.vote_reason_consent({ agree: c('agree') });
		case 'consent_with_objections':
			return r.outcome === 'no_votes' ? m.vote_reason_consent_nobody({ abstain: c('abstain') }) : m.vote_reason_consent_with_objections({ agree: c('agree'), object: c('object') });
		case 'quorum_not_reached':
			return m.vote_reason_quorum_not_reached({ participants: formatNumber(r.participants), needed: formatNumber(r.quorum.needed) });
		case 'most_votes':
			return m.vote_reason_most_votes({ option: label, votes: c(String(winner)) });
		case 'tied_top':
			return m.vote_reason_tied_top({
				options: r.winners.map((w) => optionLabel(options, w)).join(', '),
				votes: c(String(winner))
			});
		case 'highest_score':
			return m.vote_reason_highest_score({ option: label, total: c(String(winner)), average: formatNumber(r.averages?.[winner] ?? 0) });
		case 'runoff_majority': {
			const rounds = r.rounds ?? [];
			const last = rounds[rounds.length - 1];
			const active = last ? Object.values(last.counts).reduce((a, b) => a + b, 0) : 0;
			return m.vote_reason_runoff_majority({ option: label, round: rounds.length, votes: formatNumber(last?.counts[winner] ?? 0), active: formatNumber(active) });
		}
		case 'stv_elected':
			return r.stv ? stvReason(r.stv, options) : r.reason;
		case 'no_votes':
			return r.method === 'ranked' ? m.vote_reason_no_votes() : m.vote_outcome_no_votes();
		case 'chambers_both':
			return m.chamber_reason_both();
		case 'chamber_organisations_not':
			return m.chamber_reason_organisations_not();
		case 'chamber_members_not':
			return m.chamber_reason_members_not();
		case 'chambers_neither':
			return m.chamber_reason_neither();
		default:
			return r.reason;
	}
}

/** Whether the quorum was reached, with the numbers. */
export function quorumText(r: VoteResult): string {
	const n = { participants: formatNumber(r.participants), needed: formatNumber(r.quorum.needed), eligible: formatNumber(r.eligible) };
	if (r.quorum.needed === 0) return m.vote_quorum_not_required(n);
	return r.quorum.reached ? m.vote_quorum_reached(n) : m.vote_quorum_missed(n);
}

/** The whole result in one sentence: "Passed: 12 yes against 5 no, …; quorum 10 of 20 reached (…)". */
export function resultSentence(r: VoteResult, options: VoteOption[]): string {
	return `${outcomeName(r.outcome, r.winners, options)}: ${reasonText(r, options)} ${quorumText(r)}`;
}

/** Each chamber's result in one sentence, "Organisations' chamber — Passed: …" (none for a vote of one chamber). */
export function chamberSentences(r: VoteResult, options: VoteOption[]): { chamber: Chamber; text: string }[] {
	if (!r.chambers) return [];
	return (['organisations', 'members'] as const).map((c) => ({ chamber: c, text: `${chamberName(c)} — ${resultSentence(r.chambers![c], options)}` }));
}

const BALLOT_PROBLEMS: Record<string, () => string> = {
	too_few: m.vote_problem_too_few,
	too_many: m.vote_problem_too_many,
	incomplete: m.vote_problem_incomplete,
	invalid_choice: m.vote_problem_invalid_choice,
	wrong_method: m.vote_problem_invalid_choice,
	reason_required: m.vote_problem_reason_required,
	same_rank: m.vote_problem_same_rank,
	choose: m.vote_problem_choose
};
export function ballotProblemText(code: string | null | undefined, method: Method): string | null {
	if (!code) return null;
	if (code === 'too_few' && method === 'ranked') return m.vote_problem_too_few_ranked();
	return (BALLOT_PROBLEMS[code] ?? m.vote_problem_invalid_choice)();
}

const INPUT_PROBLEMS: Record<string, () => string> = {
	too_few_options: m.vote_problem_too_few_options,
	too_many_options: m.vote_problem_too_many_options,
	duplicate_options: m.vote_problem_duplicate_options,
	invalid_range: m.vote_problem_invalid_range,
	invalid_quorum: m.vote_problem_invalid_quorum,
	closes_before_opens: m.vote_problem_closes_before_opens,
	in_the_past: m.vote_problem_in_the_past,
	invalid_date: m.vote_problem_invalid_date,
	not_found: m.vote_problem_subject,
	other_body: m.vote_problem_other_body,
	invalid_seats: m.elect_problem_invalid_seats,
	not_for_elections: m.elect_problem_not_for_elections,
	candidacy_deadline_required: m.elect_problem_deadline_required,
	chamber_method: m.chamber_problem_method,
	chamber_needs_members: m.chamber_problem_needs_members,
	amendment_outdated: m.chn_problem_outdated,
	amendment_alternatives: m.chn_problem_alternatives
};
/** A new vote's field problem (server/domain/votes.ts voteInputProblems codes, then the common ones). */
export const inputProblemText = (code: string | null | undefined): string | null => (code && INPUT_PROBLEMS[code] ? INPUT_PROBLEMS[code]() : problemText(code));

/** A steward's step on a vote refused (open, close, cancel): an election's reason when it gives one, else by its code. */
export const manageProblemText = (code: string, fields: Record<string, string> | undefined): string =>
	fields?.election === 'no_candidates' ? m.elect_problem_no_candidates() : failureText(code);
