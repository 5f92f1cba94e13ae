/**
 * What the server writes into a meeting's minutes, in the language of whoever acts: the heading and the agenda
 * when the meeting is called; then, from the meeting's log as it happens, its opening, each item as it concludes
 * (times, speakers, votes in words) and its closing (attendance, proxies, decisions).
 */
import * as m from '../../src/lib/paraglide/messages.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { VoteOption, VoteResult } from '../../src/lib/shared/votes.js';
import { NETWORK_TIME_ZONE } from '../../src/lib/shared/time.js';
import type { Meeting } from '../domain/meetings.js';
import type { Presence } from '../domain/meeting-record.js';
import type { Block } from './doc-blocks.js';
import { durationWords, resultWords, rulesWords, type VoteRulesRow } from './minutes-words.js';

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

/** The meeting opened (as its chair started it). */
export function openedBlocks(at: number, locale: Locale): Block[] {
	return [{ h: 2, text: m.rec_record_heading({}, { locale }) }, { p: m.rec_opened({ time: when(at, locale, true) }, { locale }) }];
}

/** A vote of an item as the minutes tell it: its rules, then its result in words (or that it is still open). */
export interface MinutesVote {
	title: string;
	rules: VoteRulesRow;
	options: VoteOption[];
	result: VoteResult | null;
}

/**
 * An item as it concluded: when it was taken up and concluded, who spoke and for how long, and every vote with
 * its rules and its result in words.
 */
export function conclusionBlocks(
	item: { position: number; title: string },
	times: { from: number | null; to: number },
	speakers: { name: string; ms: number }[],
	votes: MinutesVote[],
	locale: Locale
): Block[] {
	const o = { locale };
	const span = times.from === null ? when(times.to, locale, true) : `${when(times.from, locale, true)}–${when(times.to, locale, true)}`;
	const spoke = speakers.length
		? m.rec_speakers({ list: speakers.map((s) => m.rec_speech({ name: s.name, duration: durationWords(s.ms, locale) }, o)).join(', ') }, o)
		: m.rec_nobody_spoke({}, o);
	const lines = votes.map((v) =>
		v.result ? m.rec_vote_line({ title: v.title, rules: rulesWords(v.rules, locale), result: resultWords(v.result, v.options, locale) }, o) : m.meeting_minutes_vote_open({ title: v.title }, o)
	);
	return [
		{ h: 3, text: m.rec_item_heading({ item: `${item.position}. ${item.title}`, span }, o) },
		{ p: spoke },
		...(lines.length ? [{ ul: lines }] : [{ p: m.meeting_minutes_no_vote({}, o) }])
	];
}

/**
 * The meeting closed (`closedAt`; null: the minutes are put to approval before it closes): who was there until `at`
 * (names and times for members-only meetings, counts when public), the proxies held, and the decisions taken.
 */
export function closingBlocks(
	closedAt: number | null,
	at: number,
	attendance: Presence[],
	proxies: { giver: string; holder: string }[],
	decisions: { title: string; outcome: string }[],
	visibility: 'public' | 'members',
	locale: Locale
): Block[] {
	const o = { locale };
	const t = (ms: number) => when(ms, locale, true);
	// Those still checked in at the close were there until it.
	const stays = (p: Presence) => p.stays.map((s) => `${t(s.from)}–${t(s.to ?? at)}`).join(', ');
	const named = visibility === 'members';
	const blocks: Block[] = [...(closedAt === null ? [] : [{ p: m.rec_closed({ time: t(closedAt) }, o) }]), { h: 3, text: m.rec_attendance_heading({}, o) }];
	if (!attendance.length) blocks.push({ p: m.rec_attendance_none({}, o) });
	else if (named) blocks.push({ p: m.rec_attendance_named({ count: attendance.length }, o) }, { ul: attendance.map((p) => `${p.name} (${stays(p)})`) });
	else blocks.push({ p: m.rec_attendance_count({ count: attendance.length }, o) });
	if (proxies.length)
		blocks.push(named ? { ul: proxies.map((x) => m.rec_proxy_named({ holder: x.holder, giver: x.giver }, o)) } : { p: m.rec_proxies_count({ count: proxies.length }, o) });
	blocks.push({ h: 3, text: m.rec_decisions_heading({}, o) });
	blocks.push(decisions.length ? { ul: decisions.map((d) => m.rec_decision({ title: d.title, outcome: d.outcome }, o)) } : { p: m.rec_no_decisions({}, o) });
	return blocks;
}
