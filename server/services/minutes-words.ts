/**
 * A vote's rules and result in words, in the minutes' language (never "yes: 7"): the same sentences the vote page
 * says (src/lib/votes/labels.ts, which speaks the reader's language), with the language given.
 */
import { m } from '../../src/lib/paraglide/messages.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { Method, Threshold, VoteOption, VoteResult } from '../../src/lib/shared/votes.js';

type L = { locale: Locale };
/** Numbers as the pages write them (src/lib/i18n/format.ts: Albanian from its own rules, the others by Intl). */
const n = (x: number, locale: Locale) =>
	locale === 'sq'
		? new Intl.NumberFormat('en')
				.formatToParts(x)
				.map((p) => (p.type === 'group' ? '\u00a0' : p.type === 'decimal' ? ',' : p.value))
				.join('')
		: new Intl.NumberFormat(locale).format(x);

const METHOD: Record<Method, (i: object, o: L) => string> = {
	yes_no: m.vote_method_yes_no,
	single: m.vote_method_single,
	approval: m.vote_method_approval,
	ranked: m.vote_method_ranked,
	score: m.vote_method_score,
	consent: m.vote_method_consent
};
const THRESHOLD: Record<Threshold, (i: object, o: L) => string> = { simple: m.vote_threshold_simple, two_thirds: m.vote_threshold_two_thirds, absolute: m.vote_threshold_absolute };
const OUTCOME: Record<Exclude<VoteResult['outcome'], 'elected'>, (i: object, o: L) => string> = {
	passed: m.vote_outcome_passed,
	failed: m.vote_outcome_failed,
	no_quorum: m.vote_outcome_no_quorum,
	tie: m.vote_outcome_tie,
	no_votes: m.vote_outcome_no_votes,
	blocked: m.vote_outcome_blocked
};

export interface VoteRulesRow {
	method: Method;
	secret: number | boolean;
	threshold: Threshold;
	quorum_kind: 'none' | 'count' | 'share';
	quorum_value: number;
}

/** "Yes / no / abstain, open ballot. Simple majority: more yes than no. Quorum: at least 3 eligible voters." */
export function rulesWords(v: VoteRulesRow, locale: Locale): string {
	const o = { locale };
	const quorum =
		v.quorum_kind === 'count'
			? m.vote_rule_quorum_count({ count: n(v.quorum_value, locale) }, o)
			: v.quorum_kind === 'share'
				? m.vote_rule_quorum_share({ percent: n(Math.round(v.quorum_value * 1000) / 10, locale) }, o)
				: m.vote_rule_quorum_none({}, o);
	const ballot = v.secret ? m.rec_ballot_secret({}, o) : m.rec_ballot_open({}, o);
	const threshold = v.method === 'yes_no' ? ` ${THRESHOLD[v.threshold]({}, o)}` : '';
	return `${METHOD[v.method]({}, o)}, ${ballot}.${threshold} ${quorum}`;
}

const label = (options: VoteOption[], id: number | undefined) => options.find((x) => x.id === id)?.label ?? `#${id}`;

/** The outcome, why (with the numbers in words), and the quorum: "Passed: 2 yes against 1 no: … Quorum 2 of 3: reached …". */
export function resultWords(r: VoteResult, options: VoteOption[], locale: Locale): string {
	return `${outcomeWords(r, options, locale)}: ${reasonWords(r, options, locale)} ${quorumWords(r, locale)}`;
}

/** The outcome alone: "Passed", "Chosen: Korça". */
export function outcomeWords(r: Pick<VoteResult, 'outcome' | 'winners'>, options: VoteOption[], locale: Locale): string {
	if (r.outcome === 'elected') return m.vote_outcome_elected({ option: r.winners.map((w) => label(options, w)).join(', ') }, { locale });
	return OUTCOME[r.outcome]({}, { locale });
}

function reasonWords(r: VoteResult, options: VoteOption[], locale: Locale): string {
	const o = { locale };
	const c = (k: string) => n(r.counts[k] ?? 0, locale);
	const yn = { yes: c('yes'), no: c('no') };
	const winner = r.winners[0];
	switch (r.reason) {
		case 'majority_of_cast':
			return m.vote_reason_majority_of_cast(yn, o);
		case 'more_against':
			return m.vote_reason_more_against(yn, o);
		case 'tie_is_rejection':
			return m.vote_reason_tie_is_rejection(yn, o);
		case 'two_thirds_of_cast':
			return m.vote_reason_two_thirds_of_cast(yn, o);
		case 'short_of_two_thirds':
			return m.vote_reason_short_of_two_thirds(yn, o);
		case 'majority_of_eligible':
			return m.vote_reason_majority_of_eligible({ yes: c('yes'), eligible: n(r.eligible, locale) }, o);
		case 'short_of_majority_of_eligible':
			return m.vote_reason_short_of_majority_of_eligible({ yes: c('yes'), eligible: n(r.eligible, locale), needed: n(Math.floor(r.eligible / 2) + 1, locale) }, o);
		case 'only_abstentions':
			return m.vote_reason_only_abstentions({ abstain: c('abstain') }, o);
		case 'block':
			return m.vote_reason_block({ block: c('block') }, o);
		case 'consent':
		case 'consent_with_objections':
			if (r.outcome === 'no_votes') return m.vote_reason_consent_nobody({ abstain: c('abstain') }, o);
			return r.reason === 'consent' ? m.vote_reason_consent({ agree: c('agree') }, o) : m.vote_reason_consent_with_objections({ agree: c('agree'), object: c('object') }, o);
		case 'quorum_not_reached':
			return m.vote_reason_quorum_not_reached({ participants: n(r.participants, locale), needed: n(r.quorum.needed, locale) }, o);
		case 'most_votes':
			return r.outcome === 'no_votes' ? m.vote_reason_nobody_voted({}, o) : m.vote_reason_most_votes({ option: label(options, winner), votes: c(String(winner)) }, o);
		case 'tied_top':
			return m.vote_reason_tied_top({ options: r.winners.map((w) => label(options, w)).join(', '), votes: c(String(winner)) }, o);
		default:
			// Ranked, score, elections and two chambers: the vote's own page tells every round.
			return m.rec_reason_see_vote({}, o);
	}
}

function quorumWords(r: VoteResult, locale: Locale): string {
	const o = { locale };
	const q = { participants: n(r.participants, locale), needed: n(r.quorum.needed, locale), eligible: n(r.eligible, locale) };
	if (r.quorum.needed === 0) return m.vote_quorum_not_required(q, o);
	return r.quorum.reached ? m.vote_quorum_reached(q, o) : m.vote_quorum_missed(q, o);
}

/** A speaking time: "2 min 05 s", "40 s". */
export function durationWords(ms: number, locale: Locale): string {
	const s = Math.round(ms / 1000);
	if (s < 60) return m.rec_duration_s({ s: String(s) }, { locale });
	return m.rec_duration_min({ min: String(Math.floor(s / 60)), s: String(s % 60).padStart(2, '0') }, { locale });
}
