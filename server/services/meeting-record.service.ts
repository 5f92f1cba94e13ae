import { isDomainError } from '../../src/lib/shared/errors.js';
import type { Db } from '../db/client.js';
import type { MeetingEventKind } from '../db/database.js';
import * as rec from '../db/repositories/meeting-record.repository.js';
import { listDecisions, parseResult } from '../db/repositories/vote.repository.js';
import { findDraft } from '../db/repositories/draft.repository.js';
import { proxiesIn } from '../db/repositories/proxy.repository.js';
import { attendanceOf, itemStart, speakingTimes, type LogEvent } from '../domain/meeting-record.js';
import type { Meeting } from '../domain/meetings.js';
import type { VoteOption } from '../../src/lib/shared/votes.js';
import { m as msg } from '../../src/lib/paraglide/messages.js';
import type { Authenticated } from './auth.service.js';
import type { AgendaProposals } from './agenda-proposals.service.js';
import type { DocumentsService } from './documents.service.js';
import { docNameOf } from './drafts.service.js';
import type { ForumWritingService } from './forum-writing.service.js';
import { appendBlocks, closingBlocks, conclusionBlocks, openedBlocks, type MinutesVote } from './minutes.js';
import { outcomeWords, resultWords } from './minutes-words.js';

type Conn = Parameters<typeof rec.insertEvent>[0];

/**
 * The meeting's record: its log written as it happens (opened, closed, check-ins, items taken up and concluded), and
 * the minutes filled from it in the minutes' language — the opening, each item as it concludes (its times, who
 * spoke and for how long, its votes with rules and result in words), the closing (attendance, proxies, decisions).
 * An item that came from a consent round's objection has its outcome written back to the proposal and posted to the
 * round's thread.
 */
export class MeetingRecord {
	constructor(
		private readonly db: Db,
		private readonly documents: DocumentsService,
		private readonly forumWriting: ForumWritingService,
		private readonly proposals: AgendaProposals
	) {}

	/** One line of the log, in the caller's transaction. */
	log(db: Conn, meetingId: number, kind: MeetingEventKind, at: number, who: { userId?: number; itemId?: number } = {}): Promise<void> {
		return rec.insertEvent(db, { meeting_id: meetingId, at, kind, user_id: who.userId ?? null, item_id: who.itemId ?? null });
	}

	async #log(meetingId: number): Promise<LogEvent[]> {
		return (await rec.eventsOf(this.db, meetingId)).map((e) => ({ at: e.at, kind: e.kind, userId: e.user_id, itemId: e.item_id, name: e.name }));
	}

	/**
	 * Adds to the minutes while they are open to change: once put to approval (frozen, then adopted) the text is the
	 * one voted on, and what happens after stays in the log and the register.
	 */
	async #append(m: Meeting, blocks: Parameters<typeof appendBlocks>[1]): Promise<void> {
		if (m.minutesDraftId === null) return;
		const draft = await findDraft(this.db, m.minutesDraftId);
		if (draft?.status !== 'drafting' && draft?.status !== 'review') return;
		await this.documents.change(docNameOf(m.minutesDraftId), (doc) => appendBlocks(doc, blocks));
	}

	opened(m: Meeting, at: number): Promise<void> {
		return this.#append(m, openedBlocks(at, m.minutesLocale));
	}

	/** An item concluded at `at` (its votes closed before): the minutes get it; a proposal's outcome goes back to its round. */
	async concluded(auth: Authenticated, m: Meeting, item: { id: number; position: number; title: string }, at: number): Promise<void> {
		const locale = m.minutesLocale;
		const [log, speeches, rows] = await Promise.all([this.#log(m.id), rec.speechesOn(this.db, m.id, item.id), rec.votesOnItem(this.db, m.id, item.id)]);
		const speakers = speakingTimes(speeches.map((s) => ({ userId: s.user_id, name: s.name, startedAt: s.started_at!, endedAt: s.ended_at ?? at })));
		const votes: MinutesVote[] = rows.map((v) => ({ title: v.title, rules: v, options: JSON.parse(v.options) as VoteOption[], result: parseResult(v.result) }));
		await this.#append(m, conclusionBlocks(item, { from: itemStart(log, item.id), to: at }, speakers, votes, locale));
		const proposal = await this.proposals.ofItem(item.id);
		if (!proposal) return;
		const results = votes.flatMap((v) => (v.result ? [msg.rec_outcome_vote({ title: v.title, result: resultWords(v.result, v.options, locale) }, { locale })] : []));
		const outcome = msg.rec_outcome_post({ meeting: m.title, item: `${item.position}. ${item.title}`, results: results.join(' ') || msg.rec_outcome_no_vote({}, { locale }) }, { locale });
		await this.proposals.setOutcome(proposal.id, outcome);
		// Posted by the chair who concluded it, where the round was debated; a thread closed to replies keeps the
		// outcome on the proposal (shown with the meeting and the round's decision).
		// Only a refusal (the thread locked, archived or gone) is expected here; any other failure reaches the caller.
		// A members-only meeting's title and results never go into a thread visitors read: they stay on the proposal.
		if (proposal.thread_id !== null && (m.visibility === 'public' || !(await rec.threadIsPublic(this.db, proposal.thread_id)))) {
			await this.forumWriting.reply(auth, proposal.thread_id, null, outcome).catch((error: unknown) => {
				if (!isDomainError(error)) throw error;
			});
		}
	}

	/** The meeting closed at `at`: attendance from the log, the proxies given for it, its decisions. */
	closed(m: Meeting, at: number): Promise<void> {
		return this.#closing(m, at, true);
	}

	/** The minutes about to be put to approval in the live meeting: attendance, proxies and decisions so far. */
	sofar(m: Meeting, at: number): Promise<void> {
		return this.#closing(m, at, false);
	}

	async #closing(m: Meeting, at: number, closed: boolean): Promise<void> {
		const locale = m.minutesLocale;
		const [log, proxies, decisions] = await Promise.all([this.#log(m.id), proxiesIn(this.db, { meetingId: m.id }), listDecisions(this.db, { member: true, meetingId: m.id, limit: 200 })]);
		const taken = [...decisions].reverse().map((d) => ({ title: d.title, outcome: d.result ? outcomeWords(d.result, d.options, locale) : d.outcome }));
		await this.#append(m, closingBlocks(closed ? at : null, at, attendanceOf(log), proxies, taken, m.visibility, locale));
	}
}
