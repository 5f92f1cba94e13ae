/**
 * The new-meeting form, read into what the meetings service takes. Pure: the service checks the rules (the shared
 * meetingInputSchema, after it has authorised); this only reads fields and reports what cannot be read (a malformed
 * date or number).
 */
import type { AgendaItemInput, MeetingInput } from '$lib/shared/meetings';
import type { Quorum } from '$lib/shared/vote-input';
import { localDateTime } from '$lib/votes/form';

/** Every single-valued field of the form, by name: what the page posts and shows again after a refusal. */
export const MEETING_FORM_FIELDS = [
	'title',
	'description',
	'startsAt',
	'endsAt',
	'place',
	'onlineUrl',
	'body',
	'visibility',
	'quorumKind',
	'quorumValue',
	'agenda'
] as const;
export type MeetingFormValues = Record<(typeof MEETING_FORM_FIELDS)[number], string>;

export interface ParsedMeetingForm {
	input: MeetingInput;
	/** Fields that could not be read, as problem codes. */
	problems: Record<string, string>;
}

const positiveInt = (v: string) => (/^\d{1,9}$/.test(v.trim()) && Number(v) > 0 ? Number(v) : null);

/** A number as people type it: "60", "60,5", "60 %". NaN when it is not one. */
const decimal = (raw: string) => {
	const v = raw.trim().replace(/\s*%$/, '').replace(',', '.');
	return v && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
};

function quorumOf(kind: string, raw: string): { quorum: Quorum; problem?: string } {
	const value = decimal(raw);
	if (kind === 'count') return Number.isInteger(value) ? { quorum: { kind: 'count', count: value } } : { quorum: { kind: 'count', count: 0 }, problem: 'invalid_quorum' };
	if (kind === 'share') return Number.isFinite(value) ? { quorum: { kind: 'share', share: value / 100 } } : { quorum: { kind: 'share', share: 0 }, problem: 'invalid_quorum' };
	return { quorum: { kind: 'none' } };
}

/**
 * Reads the submitted form: `get` returns '' for a missing field, `chairIds` are the other chairs picked. Times are
 * wall-clock times in the network's zone; `body` is "network" or a group's id.
 */
export function parseMeetingForm(get: (name: string) => string, chairIds: string[] = []): ParsedMeetingForm {
	const problems: Record<string, string> = {};
	const startsAt = localDateTime(get('startsAt'));
	const endsAt = localDateTime(get('endsAt'));
	if (Number.isNaN(startsAt)) problems.startsAt = 'invalid_date';
	if (Number.isNaN(endsAt)) problems.endsAt = 'invalid_date';
	const { quorum, problem } = quorumOf(get('quorumKind'), get('quorumValue'));
	if (problem) problems.quorum = problem;
	const body = get('body').trim();
	const groupId = body === 'network' ? null : positiveInt(body);
	if (body !== 'network' && groupId === null) problems.body = 'required';
	const input: MeetingInput = {
		title: get('title'),
		description: get('description'),
		startsAt: Number.isNaN(startsAt) ? null : startsAt,
		endsAt: Number.isNaN(endsAt) ? null : endsAt,
		place: get('place'),
		onlineUrl: get('onlineUrl'),
		groupId,
		visibility: get('visibility') === 'public' ? 'public' : 'members',
		quorum,
		agenda: get('agenda')
			.split(/\r?\n/)
			.map((a) => a.replace(/^\s*(?:\d+[.)]|[-*•])\s+/, '').trim())
			.filter(Boolean),
		chairIds: [...new Set(chairIds.map(positiveInt).filter((id): id is number => id !== null))]
	};
	return { input, problems };
}

/**
 * A thread's or draft's id as people give it: "12", "#12", or its address ("…/forum/t/12", "…/drafts/12/diff").
 * Null when empty or unreadable.
 */
export function linkedId(raw: string, kind: 'thread' | 'draft'): number | null {
	const v = raw.trim();
	const match = (kind === 'thread' ? /\/t\/(\d{1,9})(?:\D|$)/ : /\/drafts\/(\d{1,9})(?:\D|$)/).exec(v) ?? /^#?(\d{1,9})$/.exec(v);
	return match && Number(match[1]) > 0 ? Number(match[1]) : null;
}

/**
 * Reads the add-an-item form. Text that names no thread or draft is passed on as an id that does not exist, so the
 * service (which authorises first) answers it as it answers a thread or draft that does not exist.
 */
export function parseAgendaItemForm(values: { title: string; thread: string; draft: string }): AgendaItemInput {
	const link = (raw: string, kind: 'thread' | 'draft') => (raw.trim() ? (linkedId(raw, kind) ?? -1) : null);
	return { title: values.title, threadId: link(values.thread, 'thread'), draftId: link(values.draft, 'draft') };
}
