import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/meeting.repository.js';
import { facilitatorsOf, groupRole } from '../db/repositories/group.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import {
	canCallMeeting,
	canChair,
	canSeeMeeting,
	meetingInputProblems,
	nextPosition,
	nextSpeaker,
	positionAt,
	quorumMeter,
	raiseHandProblem,
	type MeetingFacts,
	type MeetingInput,
	type Speaker
} from '../domain/meetings.js';
import { isActiveMember } from '../domain/permissions.js';
import type { Quorum, VoteInput } from '../domain/votes.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { AgendaItemView, LiveState, MeetingAction, MeetingSummary, MeetingView, MeetingVoteRef } from '../../src/lib/shared/meetings.js';
import type { VoteResult } from '../../src/lib/shared/votes.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { DocumentsService } from './documents.service.js';
import type { ForumService } from './forum.service.js';
import { docNameOf, type DraftsService } from './drafts.service.js';
import { agendaBlocks, appendBlocks, conclusionBlocks, minutesTitle } from './minutes.js';
import { meetingsCalendar } from './calendar.js';
import type { VotesService } from './votes.service.js';

type Meeting = repo.MeetingWithGroup;

/**
 * Meetings: calling one with its agenda and minutes, the live room (presence, check-in, quorum, current item,
 * speakers, votes held on an item), and the calendar. Every chair's control is authorised here; the socket handlers
 * only parse and pass on.
 */
export class MeetingsService {
	/** Who is connected to each live room: meeting → member → their sockets. Per process, like the sockets. */
	readonly #online = new Map<number, Map<number, Set<string>>>();

	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly votes: VotesService,
		private readonly drafts: DraftsService,
		private readonly forum: ForumService,
		private readonly documents: DocumentsService,
		private readonly clock: () => number = Date.now
	) {}

	// ——— reading ———

	async #facts(m: Meeting): Promise<MeetingFacts> {
		const [chairs, facilitators] = await Promise.all([repo.chairsOf(this.db, m.id), facilitatorsOf(this.db, m.group_id)]);
		return { visibility: m.visibility, chairs: chairs.map((c) => c.id), facilitators };
	}

	async #readable(auth: Authenticated | null, id: number): Promise<{ meeting: Meeting; facts: MeetingFacts }> {
		const meeting = Number.isSafeInteger(id) && id > 0 ? await repo.findMeeting(this.db, id) : undefined;
		if (!meeting) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		if (!canSeeMeeting(auth?.actor ?? null, meeting)) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return { meeting, facts: await this.#facts(meeting) };
	}

	async #chaired(auth: Authenticated | null, id: number): Promise<Meeting> {
		const { meeting, facts } = await this.#readable(auth, id);
		if (!canChair(auth?.actor ?? null, facts)) throw new DomainError('forbidden', 'not_chair');
		return meeting;
	}

	#summary(m: Meeting): MeetingSummary {
		return {
			id: m.id,
			title: m.title,
			startsAt: m.starts_at,
			endsAt: m.ends_at,
			place: m.place,
			onlineUrl: m.online_url,
			group: m.group_slug && m.group_name ? { slug: m.group_slug, name: m.group_name } : null,
			visibility: m.visibility,
			status: m.status
		};
	}

	async list(auth: Authenticated | null, opts: { past?: boolean } = {}): Promise<MeetingSummary[]> {
		const rows = await repo.listMeetings(this.db, { member: isActiveMember(auth?.actor ?? null), past: !!opts.past, now: this.clock() });
		return rows.map((m) => this.#summary(m));
	}

	#voteRef(v: Awaited<ReturnType<typeof repo.votesOfMeeting>>[number]): MeetingVoteRef & { itemId: number | null } {
		return { id: v.id, title: v.title, method: v.method, status: v.status, secret: !!v.secret, outcome: v.result ? (JSON.parse(v.result) as VoteResult).outcome : null, itemId: v.agenda_item_id };
	}

	async get(auth: Authenticated | null, id: number): Promise<MeetingView> {
		const { meeting: m, facts } = await this.#readable(auth, id);
		const [chairs, agenda, votes] = await Promise.all([repo.chairsOf(this.db, m.id), repo.agendaOf(this.db, m.id), repo.votesOfMeeting(this.db, m.id)]);
		const refs = votes.map((v) => this.#voteRef(v));
		return {
			...this.#summary(m),
			description: m.description,
			quorum: { kind: m.quorum_kind, value: m.quorum_value },
			chairs,
			agenda: agenda.map(
				(a): AgendaItemView => ({
					id: a.id,
					position: a.position,
					title: a.title,
					notes: a.notes,
					thread: a.thread_id !== null && a.thread_title !== null ? { id: a.thread_id, title: a.thread_title } : null,
					draft: a.draft_id !== null && a.draft_title !== null ? { id: a.draft_id, title: a.draft_title } : null,
					status: a.status,
					votes: refs.filter((v) => v.itemId === a.id)
				})
			),
			minutesDraftId: m.minutes_draft_id,
			currentItemId: m.current_item_id,
			can: { chair: canChair(auth?.actor ?? null, facts) }
		};
	}

	/** The live room as everyone in it sees it. */
	async state(auth: Authenticated | null, id: number): Promise<LiveState> {
		const { meeting } = await this.#readable(auth, id);
		return this.#state(meeting);
	}

	/** The state for the broadcaster, sent to a room whose members were let in by `join`. */
	async roomState(id: number): Promise<LiveState | null> {
		const m = await repo.findMeeting(this.db, id);
		return m ? this.#state(m) : null;
	}

	async #state(m: Meeting): Promise<LiveState> {
		const [attending, members, speakers, votes] = await Promise.all([
			repo.attendance(this.db, m.id, m.group_id),
			repo.memberCount(this.db, m.group_id),
			repo.speakersOf(this.db, m.id),
			repo.votesOfMeeting(this.db, m.id)
		]);
		const online = this.#online.get(m.id) ?? new Map<number, Set<string>>();
		const checkedIn = new Map(attending.map((a) => [a.id, a]));
		const onlineOnly = await repo.names(this.db, [...online.keys()].filter((u) => !checkedIn.has(u)));
		const people = [
			...attending.map((a) => ({ id: a.id, name: a.name, online: online.has(a.id), checkedIn: true, eligible: !!a.eligible })),
			...onlineOnly.map((p) => ({ id: p.id, name: p.name, online: true, checkedIn: false, eligible: false }))
		].sort((a, b) => a.name.localeCompare(b.name));
		const present = attending.filter((a) => a.eligible).length;
		return {
			meetingId: m.id,
			status: m.status,
			currentItemId: m.current_item_id,
			people,
			quorum: quorumMeter(this.#quorum(m), present, members),
			speakers: speakers.map((s) => ({ id: s.id, userId: s.user_id, name: s.name, status: s.status as 'waiting' | 'speaking', startedAt: s.started_at })),
			votes: votes.map((v) => this.#voteRef(v)),
			at: this.clock()
		};
	}

	#quorum(m: Meeting): Quorum {
		return m.quorum_kind === 'count' ? { kind: 'count', count: m.quorum_value } : m.quorum_kind === 'share' ? { kind: 'share', share: m.quorum_value } : { kind: 'none' };
	}

	// ——— calling a meeting ———

	/** Groups this person may call meetings for (all, for coordinators), and whether they may call network meetings. */
	async creationOptions(auth: Authenticated | null): Promise<{ network: boolean; groups: { id: number; slug: string; name: string }[] }> {
		return this.votes.creationOptions(auth);
	}

	/** `unread`: fields the form could not even read, told together with the meeting's own problems. */
	async create(auth: Authenticated | null, input: MeetingInput, locale: Locale = 'sq', unread: Record<string, string> = {}): Promise<number> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const facilitates = input.groupId !== null && (await groupRole(this.db, input.groupId, auth.actor.id)) === 'facilitator';
		if (!canCallMeeting(auth.actor, facilitates, input.groupId)) throw new DomainError('forbidden');
		const problems = { ...meetingInputProblems(input), ...unread };
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'meeting has problems', problems);
		const agenda = input.agenda.map((a) => a.trim()).filter(Boolean);
		const chairs = await repo.activeMembers(this.db, [...new Set([auth.actor.id, ...input.chairIds])]);
		const now = this.clock();
		const id = await this.db.transaction().execute(async (trx) => {
			const id = await repo.insertMeeting(trx, {
				title: input.title.trim(),
				description: input.description.trim(),
				starts_at: input.startsAt!,
				ends_at: input.endsAt!,
				place: input.place.trim(),
				online_url: input.onlineUrl.trim(),
				group_id: input.groupId,
				visibility: input.visibility,
				quorum_kind: input.quorum.kind,
				quorum_value: input.quorum.kind === 'count' ? input.quorum.count : input.quorum.kind === 'share' ? input.quorum.share : 0,
				created_by: auth.actor.id,
				created_at: now
			});
			await repo.insertChairs(trx, id, chairs);
			await repo.insertItems(trx, id, agenda.map((title) => ({ title })));
			await insertAudit(trx, { actor_id: auth.actor.id, action: 'meeting.created', subject_type: 'meeting', subject_id: String(id), data: { items: agenda.length }, created_at: now });
			return id;
		});
		await this.#createMinutes(auth, id, locale);
		this.bus.emit('meeting.changed', { meetingId: id });
		return id;
	}

	/** The minutes: a draft of the meeting's body, filled with the heading and the agenda, co-edited from then on. */
	async #createMinutes(auth: Authenticated, id: number, locale: Locale): Promise<void> {
		const m = (await repo.findMeeting(this.db, id))!;
		const draftId = await this.drafts.create(auth, {
			title: minutesTitle(m.title, locale),
			summary: '',
			group: m.group_slug ?? '',
			// A network meeting's minutes are filed under cultural policy (a draft needs a group or a field).
			field: m.group_slug ? '' : 'cultural-policy',
			visibility: m.visibility
		});
		await repo.updateMeeting(this.db, id, { minutes_draft_id: draftId });
		const agenda = await repo.agendaOf(this.db, id);
		await this.documents.change(docNameOf(draftId), (doc) => appendBlocks(doc, agendaBlocks(m, agenda, locale)));
	}

	/** Adds an item at the end of the agenda (a chair), optionally carrying a thread or a draft. */
	async addItem(auth: Authenticated | null, id: number, item: { title: string; threadId?: number | null; draftId?: number | null }): Promise<void> {
		const m = await this.#chaired(auth, id);
		const title = item.title.trim();
		const problems: Record<string, string> = {};
		if (!title || title.length > 200) problems.title = title ? 'too_long' : 'required';
		// What an item carries must exist and be readable by the chair (its title is shown to everyone in the room).
		const readable = (p: Promise<unknown>) => p.then(() => true, () => false);
		if (item.threadId && !(await readable(this.forum.assertCanWatch(auth, item.threadId)))) problems.thread = 'not_found';
		if (item.draftId && !(await readable(this.drafts.get(auth, item.draftId)))) problems.draft = 'not_found';
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'item', problems);
		const position = (await repo.lastPosition(this.db, m.id)) + 1;
		await repo.insertItems(this.db, m.id, [{ title, thread_id: item.threadId ?? null, draft_id: item.draftId ?? null }], position);
		this.bus.emit('meeting.changed', { meetingId: m.id });
	}

	// ——— the live room ———

	/**
	 * A member's socket entered the room: they are shown as here (unless it only watches, as the projector does).
	 * Returns the room as it is.
	 */
	async join(auth: Authenticated, id: number, socketId: string, watchOnly = false): Promise<LiveState> {
		const { meeting } = await this.#readable(auth, id);
		if (watchOnly) return this.#state(meeting);
		let room = this.#online.get(meeting.id);
		if (!room) this.#online.set(meeting.id, (room = new Map()));
		const sockets = room.get(auth.actor.id) ?? new Set<string>();
		const arrived = sockets.size === 0;
		sockets.add(socketId);
		room.set(auth.actor.id, sockets);
		if (arrived) this.bus.emit('meeting.changed', { meetingId: meeting.id });
		return this.#state(meeting);
	}

	/** A socket left a room (or disconnected, `id` omitted: every room). */
	leave(socketId: string, id?: number): void {
		for (const [meetingId, room] of this.#online) {
			if (id !== undefined && meetingId !== id) continue;
			for (const [userId, sockets] of room) {
				if (!sockets.delete(socketId) || sockets.size) continue;
				room.delete(userId);
				this.bus.emit('meeting.changed', { meetingId });
			}
			if (!room.size) this.#online.delete(meetingId);
		}
	}

	/** Everything the room's buttons do. Members may check themselves in and out, raise and withdraw a hand. */
	async act(auth: Authenticated | null, id: number, action: MeetingAction): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		const { meeting: m, facts } = await this.#readable(auth, id);
		// Only members take part in a room (an applicant may read a public meeting, not act in it).
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		const me = auth.actor.id;
		const chair = canChair(auth.actor, facts);
		const self = (userId?: number) => userId === undefined || userId === me;
		const chairOnly = () => {
			if (!chair) throw new DomainError('forbidden', 'not_chair');
		};
		const live = () => {
			if (m.status !== 'live') throw new DomainError('conflict', 'meeting_not_live');
		};
		const now = this.clock();
		switch (action.type) {
			case 'start':
				chairOnly();
				if (m.status !== 'scheduled') throw new DomainError('conflict', 'meeting_not_scheduled');
				await this.db.transaction().execute(async (trx) => {
					await repo.updateMeeting(trx, m.id, { status: 'live', started_at: now });
					const [first] = await repo.agendaOf(trx, m.id);
					if (first && m.current_item_id === null) {
						await repo.updateMeeting(trx, m.id, { current_item_id: first.id });
						await repo.setItemStatus(trx, m.id, first.id, 'current');
					}
					await insertAudit(trx, { actor_id: me, action: 'meeting.started', subject_type: 'meeting', subject_id: String(m.id), data: {}, created_at: now });
				});
				break;
			case 'end':
				chairOnly();
				live();
				await this.db.transaction().execute(async (trx) => {
					await repo.endSpeech(trx, m.id, now);
					await repo.updateMeeting(trx, m.id, { status: 'ended', ended_at: now });
					await insertAudit(trx, { actor_id: me, action: 'meeting.ended', subject_type: 'meeting', subject_id: String(m.id), data: {}, created_at: now });
				});
				break;
			case 'check_in': {
				if (!self(action.userId)) chairOnly();
				if (m.status === 'ended') throw new DomainError('conflict', 'meeting_ended');
				const who = action.userId ?? me;
				if (!(await repo.activeMembers(this.db, [who])).length) throw new DomainError('invalid_input', 'not_member', { userId: 'not_member' });
				await repo.checkIn(this.db, m.id, who, me, now);
				break;
			}
			case 'check_out':
				if (!self(action.userId)) chairOnly();
				await repo.checkOut(this.db, m.id, action.userId ?? me);
				break;
			case 'raise_hand': {
				live();
				const queue = await this.#queue(m.id);
				const problem = raiseHandProblem(true, await repo.isCheckedIn(this.db, m.id, me), queue, me);
				if (problem) throw new DomainError('conflict', problem);
				await repo.insertSpeaker(this.db, { meeting_id: m.id, item_id: m.current_item_id, user_id: me, position: nextPosition(queue), requested_at: now }).catch((error: unknown) => {
					// Two raises at once: the unique index on open hands lets one through.
					if (String(error).includes('UNIQUE')) throw new DomainError('conflict', 'already_waiting');
					throw error;
				});
				break;
			}
			case 'withdraw': {
				const mine = (await this.#queue(m.id)).find((s) => s.userId === me && s.status === 'waiting');
				if (!mine) throw new DomainError('conflict', 'not_waiting');
				await repo.setSpeaker(this.db, m.id, mine.id, { status: 'withdrawn', ended_at: now });
				break;
			}
			case 'give_floor': {
				chairOnly();
				live();
				const queue = await this.#queue(m.id);
				const next = action.speakerId ? queue.find((s) => s.id === action.speakerId && s.status === 'waiting') : nextSpeaker(queue);
				if (!next) throw new DomainError('conflict', 'no_speaker');
				await this.db.transaction().execute(async (trx) => {
					await repo.endSpeech(trx, m.id, now);
					await repo.setSpeaker(trx, m.id, next.id, { status: 'speaking', started_at: now });
				});
				break;
			}
			case 'end_speech':
				chairOnly();
				await repo.endSpeech(this.db, m.id, now);
				break;
			case 'move_speaker': {
				chairOnly();
				const position = positionAt(await this.#queue(m.id), action.speakerId, action.index);
				if (position === null) throw new DomainError('not_found', 'no_speaker');
				await repo.setSpeaker(this.db, m.id, action.speakerId, { position });
				break;
			}
			case 'remove_speaker':
				chairOnly();
				if (!(await repo.setSpeaker(this.db, m.id, action.speakerId, { status: 'withdrawn', ended_at: now }))) throw new DomainError('not_found', 'no_speaker');
				break;
			case 'set_item':
				chairOnly();
				live();
				await this.db.transaction().execute(async (trx) => {
					const agenda = await repo.agendaOf(trx, m.id);
					if (!agenda.some((a) => a.id === action.itemId)) throw new DomainError('not_found', 'no_item');
					for (const a of agenda) if (a.status === 'current' && a.id !== action.itemId) await repo.setItemStatus(trx, m.id, a.id, 'pending');
					await repo.setItemStatus(trx, m.id, action.itemId, 'current');
					await repo.updateMeeting(trx, m.id, { current_item_id: action.itemId });
				});
				break;
			case 'conclude_item':
				chairOnly();
				live();
				await this.#conclude(auth, m, action.itemId);
				break;
			case 'close_vote': {
				chairOnly();
				const vote = (await repo.votesOfMeeting(this.db, m.id)).find((v) => v.id === action.voteId);
				if (!vote) throw new DomainError('not_found', 'no_vote');
				await this.votes.closeInMeeting(vote.id, me);
				break;
			}
		}
		this.bus.emit('meeting.changed', { meetingId: m.id });
	}

	async #queue(meetingId: number): Promise<Speaker[]> {
		return (await repo.speakersOf(this.db, meetingId)).map((s) => ({ id: s.id, userId: s.user_id, status: s.status, position: s.position }));
	}

	/**
	 * Concludes an item: votes still open on it are closed, the item is done, the next pending item becomes current,
	 * and the minutes get the item's decisions and results.
	 */
	async #conclude(auth: Authenticated, m: Meeting, itemId: number): Promise<void> {
		const agenda = await repo.agendaOf(this.db, m.id);
		const item = agenda.find((a) => a.id === itemId);
		if (!item) throw new DomainError('not_found', 'no_item');
		if (item.status === 'done') throw new DomainError('conflict', 'item_done');
		const onItem = (await repo.votesOfMeeting(this.db, m.id)).filter((v) => v.agenda_item_id === itemId);
		for (const v of onItem) if (v.status === 'open') await this.votes.closeInMeeting(v.id, auth.actor.id);
		const now = this.clock();
		const next = agenda.find((a) => a.position > item.position && a.status === 'pending');
		await this.db.transaction().execute(async (trx) => {
			await repo.setItemStatus(trx, m.id, itemId, 'done', now);
			if (m.current_item_id === itemId) {
				await repo.updateMeeting(trx, m.id, { current_item_id: next?.id ?? null });
				if (next) await repo.setItemStatus(trx, m.id, next.id, 'current');
			}
		});
		if (m.minutes_draft_id !== null) {
			const results = await Promise.all(onItem.map(async (v) => ({ title: v.title, view: await this.votes.get(auth, v.id) })));
			const locale = auth.viewer.locale;
			await this.documents.change(docNameOf(m.minutes_draft_id), (doc) => appendBlocks(doc, conclusionBlocks(item, results, now, locale)));
		}
	}

	/** Opens a vote on an agenda item of a live meeting (a chair); those checked in are its electorate. */
	async openVote(auth: Authenticated | null, id: number, itemId: number, input: VoteInput, unread: Record<string, string> = {}): Promise<number> {
		const m = await this.#chaired(auth, id);
		if (m.status !== 'live') throw new DomainError('conflict', 'meeting_not_live');
		const item = (await repo.agendaOf(this.db, m.id)).find((a) => a.id === itemId);
		if (!item || item.status === 'done') throw new DomainError('not_found', 'no_item');
		const voteId = await this.votes.createInMeeting(auth!, input, { id: m.id, itemId, groupId: m.group_id, visibility: m.visibility }, item.thread_id ? { threadId: item.thread_id } : {}, unread);
		this.bus.emit('meeting.changed', { meetingId: m.id });
		return voteId;
	}

	/**
	 * The calendar feed: upcoming and recent meetings the reader may see (calendar apps send no cookie, so a feed
	 * read without a session lists public meetings only).
	 */
	async calendar(auth: Authenticated | null, origin: string, name: string): Promise<string> {
		const [upcoming, past] = await Promise.all([this.list(auth), this.list(auth, { past: true })]);
		return meetingsCalendar(name, [...upcoming, ...past.slice(0, 50)], origin);
	}

	/** One meeting as an .ics file. */
	async calendarOf(auth: Authenticated | null, id: number, origin: string): Promise<string> {
		const { meeting } = await this.#readable(auth, id);
		return meetingsCalendar(meeting.title, [{ ...this.#summary(meeting), description: meeting.description }], origin);
	}

	/** The meeting a vote belongs to (for the broadcaster), or null. */
	async meetingOfVote(voteId: number): Promise<number | null> {
		const row = await this.db.selectFrom('votes').select('meeting_id').where('id', '=', voteId).executeTakeFirst();
		return row?.meeting_id ?? null;
	}
}
