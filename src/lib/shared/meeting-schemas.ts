/**
 * The schemas of what comes in about meetings (a new meeting, an agenda item, the room's socket events), for the
 * server; issue messages are the field problem codes the forms show. Apart from meetings.ts so that the live room,
 * which imports meetings.ts, does not build them (and ship zod) for nothing.
 */
import { z } from 'zod';
import type { Quorum } from './vote-input.js';
import { MAX_AGENDA_ITEMS } from './meetings.js';

const id = z.number().int().positive();

/** The field problems of a refused parse: each field's first problem code (the issue's message), by field name. */
export function fieldProblems(result: z.ZodSafeParseResult<unknown>): Record<string, string> {
	const problems: Record<string, string> = {};
	for (const issue of result.error?.issues ?? []) problems[String(issue.path[0] ?? '')] ??= issue.message;
	return problems;
}


const title = z
	.string()
	.refine((t) => t.trim() !== '', 'required')
	.refine((t) => t.trim().length <= 200, 'too_long');

const quorumSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('none') }),
	z.object({ kind: z.literal('count'), count: z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= 100000, 'invalid_quorum') }),
	z.object({ kind: z.literal('share'), share: z.number().refine((s) => s > 0 && s <= 1, 'invalid_quorum') })
]) satisfies z.ZodType<Quorum>;

/**
 * A new meeting as the service takes it; issue messages are the field problem codes the form shows. The fields are
 * checked one by one, then together: it ends after it starts, and has a place or a link.
 */
export const meetingInputSchema = z
	.object({
		title,
		description: z.string().max(5000, 'too_long'),
		startsAt: z.number().nullable().refine((t) => t !== null, 'required'),
		endsAt: z.number().nullable().refine((t) => t !== null, 'required'),
		place: z.string().max(300, 'too_long'),
		onlineUrl: z.string().refine((u) => !u.trim() || /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(u.trim()), 'invalid_url'),
		groupId: z.number().nullable(),
		visibility: z.enum(['public', 'members']),
		quorum: quorumSchema,
		/** Agenda item titles, in order (blank lines are dropped). */
		agenda: z
			.array(z.string())
			.refine((items) => items.filter((a) => a.trim()).length <= MAX_AGENDA_ITEMS, 'too_many')
			.refine((items) => items.every((a) => a.trim().length <= 200), 'too_long'),
		/** Chairs besides the one calling the meeting. */
		chairIds: z.array(z.number())
	})
	.superRefine((m, ctx) => {
		if (m.startsAt !== null && m.endsAt !== null && m.endsAt <= m.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'ends_before_starts' });
		if (!m.place.trim() && !m.onlineUrl.trim()) ctx.addIssue({ code: 'custom', path: ['place'], message: 'place_or_link' });
	});

export type MeetingInput = z.input<typeof meetingInputSchema>;

/** Field problems of a new meeting (message codes); empty when it can be called. */
export function meetingInputProblems(input: MeetingInput): Record<string, string> {
	return fieldProblems(meetingInputSchema.safeParse(input));
}

/** An item a chair adds to the agenda, optionally carrying a thread or a draft (which the service checks exist). */
export const agendaItemSchema = z.object({
	title,
	threadId: z.number().int().nullable().optional(),
	draftId: z.number().int().nullable().optional()
});

export type AgendaItemInput = z.input<typeof agendaItemSchema>;

/** What the live room's controls send (one socket event, 'meeting:act'); the service authorises each. */
export const meetingActionSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('start') }),
	z.object({ type: z.literal('end') }),
	z.object({ type: z.literal('check_in'), userId: id.optional() }),
	z.object({ type: z.literal('check_out'), userId: id.optional() }),
	z.object({ type: z.literal('raise_hand') }),
	z.object({ type: z.literal('withdraw') }),
	z.object({ type: z.literal('give_floor'), speakerId: id.optional() }),
	z.object({ type: z.literal('end_speech') }),
	z.object({ type: z.literal('move_speaker'), speakerId: id, index: z.number().int().min(0).max(1000) }),
	z.object({ type: z.literal('remove_speaker'), speakerId: id }),
	z.object({ type: z.literal('set_item'), itemId: id }),
	z.object({ type: z.literal('conclude_item'), itemId: id }),
	z.object({ type: z.literal('open_vote'), voteId: id }),
	z.object({ type: z.literal('close_vote'), voteId: id })
]);

export type MeetingAction = z.infer<typeof meetingActionSchema>;

/** The payloads of the room's socket events: 'meeting:join', 'meeting:leave' and 'meeting:act'. */
export const meetingRoomSchemas = {
	join: z.object({ meetingId: id, watchOnly: z.boolean().optional() }),
	leave: z.object({ meetingId: id }),
	act: z.object({ meetingId: id, action: meetingActionSchema })
};
