import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { m } from '../../src/lib/paraglide/messages.js';
import { LOCALES } from '../../src/lib/shared/types.js';

type Variant = { declarations?: string[]; selectors?: string[]; match?: Record<string, string> };
type Message = string | Variant[];

const dir = path.resolve('src/lib/i18n/messages');
const catalogue = (locale: string) => JSON.parse(fs.readFileSync(path.join(dir, `${locale}.json`), 'utf8')) as Record<string, Message>;

/** Placeholders that hold a number of things: a message that takes one must choose its words by it. */
const COUNTS = new Set([
	'count', 'n', 'total', 'min', 'max', 'minutes', 'hours', 'days', 'members', 'participants', 'eligible', 'needed',
	'missing', 'active', 'votes', 'threads', 'posts', 'items', 'done', 'yes', 'no', 'abstain', 'people'
]);

/**
 * Messages that take a number yet need no plural forms, each with the reason. Anything else with a count placeholder
 * must select its words by plural category in all three languages.
 */
const NO_NOUN: Record<string, string> = {
	setup_members_pending: 'a label and its number ("Applications waiting: 3"): nothing agrees with it',
	setup_step_of: 'ordinal position ("Step 2 of 4"): no noun counted',
	chn_step_round: 'ordinal position ("Round 2")',
	rec_duration_min: 'unit abbreviations ("3 min 20 s") do not inflect',
	chn_step_stage: 'ordinal position ("Stage 3")',
	chn_electorate: 'a label and its number ("Eligible: 12")',
	chn_electorate_chambers: '{organisations} and {members} are the chambers\' names, each followed by its number as a label',
	chn_ballots_secret: 'a label and its number ("Published ballots: 12")',
	chn_ballots_open: 'a label and its number ("Published ballots: 12")',
	chn_ballots_receipts: 'a label and its number ("Published ballots: 12")',
	api_docs_paging: 'a bound in brackets ("limit up to 100"): the number stands alone',
	api_doc_param_limit: 'a range in brackets ("1–100"): the number stands alone',
	meetings_projector_item: 'ordinal position ("Item 2 of 5")',
	live_agenda_progress: '"2 of 5 done": the participle does not inflect for number in the three languages',
	vote_reason_majority_of_cast: '"yes" and "no" are the answers, not nouns that take a plural',
	vote_reason_two_thirds_of_cast: 'as above',
	vote_reason_short_of_two_thirds: 'as above',
	vote_reason_more_against: 'as above',
	vote_reason_tie_is_rejection: 'as above',
	vote_reason_only_abstentions: 'the number stands alone in brackets',
	vote_reason_most_votes: 'the number stands alone after a colon',
	vote_reason_tied_top: '"have 3 each": the number stands alone',
	vote_reason_highest_score: 'the number stands alone',
	vote_score_line: '"total 12": the number stands alone',
	vote_quorum_reached: 'plural by participants; needed and eligible stand alone ("Quorum 3 of 5")',
	vote_quorum_missed: 'as above',
	vote_quorum_not_required: 'plural by participants; eligible stands alone',
	vote_reason_majority_of_eligible: 'plural by eligible; yes stands alone',
	vote_reason_short_of_majority_of_eligible: 'plural by eligible; yes and needed stand alone',
	vote_reason_runoff_majority: 'plural by the continuing ballots; the votes stand alone',
	votes_participation: 'plural by participants (the verb); eligible stands alone',
	meeting_minutes_vote: 'plural by eligible (the people present); participants stands alone',
	meetings_quorum_missing: 'plural by members; "3 more needed" has no noun',
	meetings_vote_participation: 'plural by participants (the verb); eligible stands alone',
	vote_approval_range: 'plural by max, the noun follows it; min stands alone',
	meetings_duration_minutes: 'an abbreviation in Albanian and English ("5 min"); Greek spells it out and chooses by plural',
	meetings_duration_hours: 'unit abbreviation ("2 h", "2 orë", "2 ώρ.") that does not inflect',
	meetings_duration_hours_minutes: 'hours as an abbreviation; minutes chosen by plural in Greek',
	coordination_instance_uptime: 'unit abbreviations (d, h, min)',
	coordination_instance_backup_every: 'unit abbreviation',
	form_error_number_min: 'a bare limit ("Enter 2 or more"): no noun counted',
	form_error_number_max: 'as above'
};

const placeholders = (message: Message): string[] => {
	const texts = typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match ?? {}));
	return [...new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((x) => x[1])))];
};
const inputs = (message: Message): string[] =>
	typeof message === 'string' ? placeholders(message) : message.flatMap((v) => (v.declarations ?? []).filter((d) => d.startsWith('input ')).map((d) => d.slice(6)));

/** The plural selectors of a message, by the input each reads: `local countPlural = count: plural`. */
const pluralSelectors = (message: Message): Map<string, string> => {
	const found = new Map<string, string>();
	if (typeof message === 'string') return found;
	for (const v of message)
		for (const d of v.declarations ?? []) {
			const x = /^local (\w+) = (\w+): plural$/.exec(d);
			if (x) found.set(x[2], x[1]);
		}
	return found;
};

describe('plural forms in the catalogues', () => {
	const en = catalogue('en');

	it('every message that counts something chooses its words by the count, in all three languages', () => {
		const missing: string[] = [];
		for (const [key, message] of Object.entries(en)) {
			const counted = inputs(message).filter((name) => COUNTS.has(name));
			if (counted.length === 0) continue;
			for (const locale of LOCALES) {
				const local = catalogue(locale)[key];
				const selectors = pluralSelectors(local);
				if (selectors.size === 0 && !NO_NOUN[key]) missing.push(`${locale}.${key}: ${JSON.stringify(local)}`);
				// With plural selectors, every combination of one/other must be there (the message format has no
				// fallback: a missing variant renders the key itself).
				if (selectors.size > 0) {
					const variants = (local as Variant[]).flatMap((v) => Object.keys(v.match ?? {}));
					for (const [, selector] of selectors) {
						expect(variants.some((k) => k.includes(`${selector}=one`)), `${locale}.${key} has a "one" form`).toBe(true);
						expect(variants.some((k) => k.includes(`${selector}=other`)), `${locale}.${key} has an "other" form`).toBe(true);
					}
					expect(variants.length, `${locale}.${key} covers every combination`).toBe(2 ** selectors.size);
				}
			}
		}
		expect(missing).toEqual([]);
	});

	it('the rule catches a plain "{count} threads"', () => {
		const plain: Message = '{count} threads';
		expect(inputs(plain).some((name) => COUNTS.has(name)) && pluralSelectors(plain).size === 0).toBe(true);
	});

	it('no message says "(s)" or "(e)" for a plural', () => {
		for (const locale of LOCALES)
			for (const [key, message] of Object.entries(catalogue(locale)))
				for (const text of typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match ?? {})))
					expect(text, `${locale}.${key}`).not.toMatch(/\w\((s|e|es|a|ε|α)\)/);
	});

	it('renders one and many in each language', () => {
		expect(m.forum_counts({ threads: 1, posts: 2 }, { locale: 'sq' })).toBe('1 temë · 2 postime');
		expect(m.forum_counts({ threads: 2, posts: 1 }, { locale: 'en' })).toBe('2 threads · 1 post');
		expect(m.forum_counts({ threads: 1, posts: 1 }, { locale: 'el' })).toBe('1 συζήτηση · 1 ανάρτηση');
		expect(m.vote_rule_quorum_count({ count: 1 }, { locale: 'en' })).toBe('Quorum: at least 1 voter.');
		expect(m.meetings_speakers_more({ count: 1 }, { locale: 'sq' })).toBe('+1 tjetër');
		expect(m.meetings_duration_minutes({ minutes: 1 }, { locale: 'el' })).toBe('1 λεπτό');
		// Numbers reach messages already formatted for the reader ("1.234" in Albanian): still the plural form.
		expect(m.forum_counts({ threads: '1.234', posts: '5' }, { locale: 'sq' })).toBe('1.234 tema · 5 postime');
	});
});
