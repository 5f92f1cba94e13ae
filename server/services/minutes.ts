/**
 * What the server writes into a meeting's minutes, in the language of whoever acts: the heading and the agenda
 * when the meeting is called, and each item's votes and results as the item concludes.
 */
import * as m from '../../src/lib/paraglide/messages.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { VoteOption, VoteResult, VoteView } from '../../src/lib/shared/votes.js';
import { NETWORK_TIME_ZONE } from '../../src/lib/shared/time.js';
import type { Meeting } from '../domain/meetings.js';
import type { Block } from './doc-blocks.js';

export { appendBlocks } from './doc-blocks.js';

/** The minutes are the network's record: its zone, named beside the date, on the 24-hour clock the pages use. */
const when = (ms: number, locale: Locale, time = false) =>
	new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, {
		...(time ? {} : { day: 'numeric', month: 'long', year: 'numeric', timeZoneName: 'shortOffset' }),
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
		timeZone: NETWORK_TIME_ZONE
	} as const).format(ms);

export function minutesTitle(title: string, locale: Locale): string {
	return m.meeting_minutes_title({ title }, { locale }).slice(0, 200);
}

export function agendaBlocks(meeting: Pick<Meeting, 'title' | 'startsAt' | 'place' | 'onlineUrl'>, agenda: { position: number; title: string }[], locale: Locale): Block[] {
	const o = { locale };
	const where = [meeting.place, meeting.onlineUrl].filter(Boolean).join(' · ');
	return [
		{ h: 1, text: meeting.title },
		{ p: m.meeting_minutes_when({ when: when(meeting.startsAt, locale) }, o) },
		...(where ? [{ p: m.meeting_minutes_where({ where }, o) }] : []),
		{ h: 2, text: m.meeting_minutes_agenda({}, o) },
		...(agenda.length ? [{ ul: agenda.map((a) => `${a.position}. ${a.title}`) }] : [{ p: m.meeting_minutes_no_agenda({}, o) }])
	];
}

function outcomeWord(r: VoteResult, options: VoteOption[], locale: Locale): string {
	const o = { locale };
	const label = (id: number) => options.find((x) => x.id === id)?.label ?? `#${id}`;
	switch (r.outcome) {
		case 'passed':
			return m.vote_outcome_passed({}, o);
		case 'failed':
			return m.vote_outcome_failed({}, o);
		case 'no_quorum':
			return m.vote_outcome_no_quorum({}, o);
		case 'elected':
			return r.winners.length ? m.vote_outcome_elected({ option: r.winners.map(label).join(', ') }, o) : m.vote_outcome_elected_short({}, o);
		case 'tie':
			return m.vote_outcome_tie({}, o);
		case 'no_votes':
			return m.vote_outcome_no_votes({}, o);
		case 'blocked':
			return m.vote_outcome_blocked({}, o);
	}
}

/** The counts as "yes 12, no 5" (the option labels for choices). */
function countsText(r: VoteResult, options: VoteOption[]): string {
	return Object.entries(r.counts)
		.map(([k, n]) => `${options.find((x) => String(x.id) === k)?.label ?? k}: ${n}`)
		.join(', ');
}

export function conclusionBlocks(item: { position: number; title: string }, votes: { title: string; view: VoteView }[], at: number, locale: Locale): Block[] {
	const o = { locale };
	const lines = votes.map(({ title, view }) => {
		const r = view.tally.result;
		if (!r) return m.meeting_minutes_vote_open({ title }, o);
		return m.meeting_minutes_vote({ title, outcome: outcomeWord(r, view.options, locale), counts: countsText(r, view.options), participants: r.participants, eligible: r.eligible }, o);
	});
	return [
		{ h: 3, text: m.meeting_minutes_item_done({ item: `${item.position}. ${item.title}`, time: when(at, locale, true) }, o) },
		...(lines.length ? [{ ul: lines }] : [{ p: m.meeting_minutes_no_vote({}, o) }])
	];
}
