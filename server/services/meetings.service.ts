import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/meeting.repository.js';
import { facilitatorsOf } from '../db/repositories/group.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { proxiesIn, representedIn } from '../db/repositories/proxy.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';
import { canChair, canSeeMeeting, canTakePart, quorumMeter, roomForVisitors, type Meeting, type MeetingFacts } from '../domain/meetings.js';
import { isActiveMember } from '../domain/permissions.js';
import { quorumValue, type VoteInput } from '../domain/votes.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { AgendaItemInput, LiveState, MeetingAction, MeetingInput, MeetingSummary, MeetingView } from '../../src/lib/shared/meetings.js';
import { agendaItemSchema, fieldProblems, meetingInputProblems } from '../../src/lib/shared/meeting-schemas.js';
import type { Locale } from '../../src/lib/shared/types.js';
import { userUnit } from '../../src/lib/shared/votes.js';
import type { Abilities } from './abilities.service.js';
import type { Authenticated } from './auth.service.js';
import type { DocumentsService } from './documents.service.js';
import type { ForumService } from './forum.service.js';
import type { ForumWritingService } from './forum-writing.service.js';
import { AgendaProposals } from './agenda-proposals.service.js';
import { MeetingRecord } from './meeting-record.service.js';
import { MinutesApproval } from './minutes-approval.service.js';
import { docNameOf, type DraftsService } from './drafts.service.js';
import { MeetingRoomService } from './meeting-room.service.js';
import { agendaRowToItem, meetingRowToMeeting, speakerRowToSpeaker, voteRowToRef } from './meeting-rows.js';
import { agendaBlocks, appendBlocks, minutesTitle } from './minutes.js';
import { meetingsCalendar, type CalendarOrganiser } from './calendar.js';
import type { RoomPresence } from './room-presence.js';
import type { Election, VotesService } from './votes.service.js';

/**
 * Meetings: calling one with its agenda and minutes, the live room (presence, check-in, quorum, current item,
 * speakers, votes held on an item), and the calendar. Every chair's control is authorised here or, for the room's
 * buttons, by MeetingRoomService; the socket handlers only parse and pass on.
 */
export class MeetingsService {
	readonly #room: MeetingRoomService;
	readonly #proposals: AgendaProposals;
	readonly #approval: MinutesApproval;
	readonly #record: MeetingRecord;

	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly abilities: Abilities,
		/** Who is connected to each live room. */
		private readonly presence: RoomPresence,
		private readonly votes: VotesService,
		private readonly drafts: DraftsService,
		private readonly forum: ForumService,
		private readonly documents: DocumentsService,
		forumWriting: ForumWritingService,
		logger: Logger,
		private readonly clock: () => number = Date.now
	) {
		this.#proposals = new AgendaProposals(db, clock);
		this.#record = new MeetingRecord(db, documents, forumWriting, this.#proposals);
		this.#room = new MeetingRoomService(db, votes, this.#record, clock);
		this.#approval = new MinutesApproval(db, bus, votes, drafts, this.#record, logger, clock);
		// A consent round closed on this node: its objections go to the body's next meeting; minutes approved are frozen.
		bus.onAsync('vote.closed', async ({ voteId }) => {
			await this.#proposals.moveObjections(voteId);
			await this.#approval.closed(voteId);
		});
	}

	// ——— reading ———

	async #facts(m: Meeting): Promise<MeetingFacts> {
		const [chairs, facilitators] = await Promise.all([repo.chairsOf(this.db, m.id), facilitatorsOf(this.db, m.groupId)]);
		return { visibility: m.visibility, chairs: chairs.map((c) => c.id), facilitators };
	}

	async #find(id: number): Promise<Meeting | null> {
		const row = Number.isSafeInteger(id) && id > 0 ? await repo.findMeeting(this.db, id) : undefined;
		return row ? meetingRowToMeeting(row) : null;
	}

	async #readable(auth: Authenticated | null, id: number): Promise<{ meeting: Meeting; facts: MeetingFacts }> {
		const meeting = await this.#find(id);
		if (!meeting || !canSeeMeeting(auth?.actor ?? null, meeting)) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return { meeting, facts: await this.#facts(meeting) };
	}

	async #chaired(auth: Authenticated | null, id: number): Promise<Meeting> {
		const { meeting, facts } = await this.#readable(auth, id);
		if (!canChair(auth?.actor ?? null, facts)) throw new DomainError('forbidden', 'not_chair');
		return meeting;
	}

	#summary(m: Meeting): MeetingSummary {
		return { id: m.id, title: m.title, startsAt: m.startsAt, endsAt: m.endsAt, place: m.place, onlineUrl: m.onlineUrl, group: m.group, visibility: m.visibility, status: m.status };
	}

	/**
	 * The meetings this person may see, upcoming or past, read only as far as asked: the meetings page and the calendar
	 * read up to 200, the API a page after a meeting's key. Who sees what is decided in the query (visitors: public
	 * meetings), as canSeeMeeting decides it for one meeting.
	 */
	async list(auth: Authenticated | null, opts: { past?: boolean; after?: repo.MeetingKey; limit?: number } = {}): Promise<MeetingSummary[]> {
		const rows = await repo.listMeetings(this.db, { member: isActiveMember(auth?.actor ?? null), past: !!opts.past, now: this.clock(), after: opts.after, limit: opts.limit });
		return rows.map((row) => this.#summary(meetingRowToMeeting(row)));
	}

	async get(auth: Authenticated | null, id: number): Promise<MeetingView> {
		const { meeting: m, facts } = await this.#readable(auth, id);
		const [chairs, agenda, votes, proposals] = await Promise.all([repo.chairsOf(this.db, m.id), repo.agendaOf(this.db, m.id), repo.votesOfMeeting(this.db, m.id), this.#proposals.list(m.id)]);
		const refs = votes.map(voteRowToRef);
		const member = isActiveMember(auth?.actor ?? null);
		return {
			...this.#summary(m),
			description: m.description,
			quorum: { kind: m.quorum.kind, value: quorumValue(m.quorum) },
			chairs,
			agenda: await Promise.all(agenda.map(async (row) => ({ ...(await this.#shownItem(auth, agendaRowToItem(row))), votes: refs.filter((v) => v.itemId === row.id) }))),
			minutesDraftId: m.minutesDraftId,
			minutesVoteId: m.minutesVoteId,
			currentItemId: m.currentItemId,
			// Objections are the network's internal debate: members read them (and who made them, on open rounds).
			proposals: member ? proposals.map((p) => ({ ...p, mine: !!auth && p.authorUnit === userUnit(auth.actor.id) })) : [],
			can: { chair: canChair(auth?.actor ?? null, facts) }
		};
	}

	/**
	 * An agenda item as this reader may see it: the thread or draft it carries is named only to those who may read it
	 * (a public meeting's agenda may carry a members-only draft or its thread).
	 */
	async #shownItem<I extends { thread: { id: number } | null; draft: { id: number } | null }>(auth: Authenticated | null, item: I): Promise<I> {
		const [thread, draft] = await Promise.all([
			item.thread ? this.forum.mayRead(auth, item.thread.id) : false,
			item.draft ? this.drafts.mayRead(auth, item.draft.id) : false
		]);
		return { ...item, thread: thread ? item.thread : null, draft: draft ? item.draft : null };
	}

	/** The live room as everyone in it sees it. */
	async state(auth: Authenticated | null, id: number): Promise<LiveState> {
		const { meeting } = await this.#readable(auth, id);
		const state = await this.#state(meeting);
		return auth ? state : roomForVisitors(state);
	}

	/**
	 * The state for the broadcaster, sent to a room whose members were let in by `join`: the room as members see
	 * it, and as visitors do (null unless the meeting is public).
	 */
	async roomState(id: number): Promise<{ members: LiveState; visitors: LiveState | null } | null> {
		const m = await this.#find(id);
		if (!m) return null;
		const state = await this.#state(m);
		return { members: state, visitors: canSeeMeeting(null, m) ? roomForVisitors(state) : null };
	}

	async #state(m: Meeting): Promise<LiveState> {
		const [attending, members, speakers, votes, online, organisations, represented, proxies] = await Promise.all([
			repo.attendance(this.db, m.id, m.groupId),
			repo.memberCount(this.db, m.groupId),
			repo.speakersOf(this.db, m.id),
			repo.votesOfMeeting(this.db, m.id),
			this.presence.list(m.id),
			repo.organisationsPresent(this.db, m.id, m.groupId),
			representedIn(this.db, m.id),
			proxiesIn(this.db, { meetingId: m.id })
		]);
		const here = new Set(online);
		const checkedIn = new Set(attending.map((a) => a.id));
		const onlineOnly = await repo.names(this.db, online.filter((u) => !checkedIn.has(u)));
		const people = [
			...attending.map((a) => ({ id: a.id, name: a.name, online: here.has(a.id), checkedIn: true, eligible: !!a.eligible })),
			...onlineOnly.map((p) => ({ id: p.id, name: p.name, online: true, checkedIn: false, eligible: false }))
		].sort((a, b) => a.name.localeCompare(b.name));
		const present = attending.filter((a) => a.eligible).length;
		return {
			meetingId: m.id,
			status: m.status,
			currentItemId: m.currentItemId,
			people,
			// Present and represented by a present proxy holder count together; each is shown apart.
			quorum: { ...quorumMeter(m.quorum, present + represented, members), present, represented },
			organisations,
			proxies,
			speakers: speakers.map(speakerRowToSpeaker).map(({ id, userId, name, status, startedAt }) => ({ id, userId, name, status, startedAt })),
			votes: votes.map(voteRowToRef),
			at: this.clock()
		};
	}

	// ——— calling a meeting ———

	/** Groups this person may call meetings for (all, for coordinators), and whether they may call network meetings. */
	async creationOptions(auth: Authenticated | null): Promise<{ network: boolean; groups: { id: number; slug: string; name: string }[] }> {
		return this.votes.creationOptions(auth);
	}

	/** `unread`: fields the form could not even read, told together with the meeting's own problems. */
	async create(auth: Authenticated | null, input: MeetingInput, locale: Locale = 'sq', unread: Record<string, string> = {}): Promise<number> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		if (!(await this.abilities.mayCall(auth, input.groupId))) throw new DomainError('forbidden');
		await this.abilities.refuseArchivedGroup(input.groupId);
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
				quorum_value: quorumValue(input.quorum),
				minutes_locale: locale,
				created_by: auth.actor.id,
				created_at: now
			});
			await repo.insertChairs(trx, id, chairs);
			await repo.insertItems(trx, id, agenda.map((title) => ({ title })));
			await insertAudit(trx, { actor_id: auth.actor.id, action: 'meeting.created', subject_type: 'meeting', subject_id: String(id), data: { items: agenda.length }, created_at: now });
			await recordWebhookEvent(trx, 'meeting.called', id, now);
			return id;
		});
		await this.#createMinutes(auth, id, locale);
		// Objections of consent rounds that closed while the body had no meeting called are proposed to this one.
		await this.#proposals.attachWaiting(id, input.groupId);
		this.bus.emit('meeting.called', { meetingId: id });
		this.bus.emit('meeting.changed', { meetingId: id });
		return id;
	}

	/** The minutes: a draft of the meeting's body, filled with the heading and the agenda, co-edited from then on. */
	async #createMinutes(auth: Authenticated, id: number, locale: Locale): Promise<void> {
		const m = (await this.#find(id))!;
		const draftId = await this.drafts.create(auth, {
			title: minutesTitle(m.title, locale),
			summary: '',
			group: m.group?.slug ?? '',
			// A network meeting's minutes are filed under cultural policy (a draft needs a group or a field).
			field: m.group ? '' : 'cultural-policy',
			visibility: m.visibility
		});
		await repo.updateMeeting(this.db, id, { minutes_draft_id: draftId });
		const agenda = (await repo.agendaOf(this.db, id)).map(agendaRowToItem);
		await this.documents.change(docNameOf(draftId), (doc) => appendBlocks(doc, agendaBlocks(m, agenda, locale)));
	}

	/** Adds an item at the end of the agenda (a chair), optionally carrying a thread or a draft. */
	async addItem(auth: Authenticated | null, id: number, item: AgendaItemInput): Promise<void> {
		const m = await this.#chaired(auth, id);
		const problems = fieldProblems(agendaItemSchema.safeParse(item));
		// What an item carries must exist and be readable by the chair (its title is shown to everyone in the room).
		if (item.threadId && !(await this.forum.mayRead(auth, item.threadId))) problems.thread = 'not_found';
		if (item.draftId && !(await this.drafts.mayRead(auth, item.draftId))) problems.draft = 'not_found';
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'item', problems);
		await this.db.transaction().execute(async (trx) => {
			const position = (await repo.lastPosition(trx, m.id)) + 1;
			await repo.insertItems(trx, m.id, [{ title: item.title.trim(), thread_id: item.threadId ?? null, draft_id: item.draftId ?? null }], position);
			await recordWebhookEvent(trx, 'meeting.changed', m.id, this.clock());
		});
		this.bus.emit('meeting.changed', { meetingId: m.id });
	}

	// ——— consent rounds' objections, the minutes' approval ———

	/** The chair accepts a proposal onto the agenda (its last item) or drops it. */
	async decideProposal(auth: Authenticated | null, id: number, proposalId: number, accept: boolean): Promise<void> {
		const m = await this.#chaired(auth, id);
		if (m.status === 'ended') throw new DomainError('conflict', 'meeting_ended');
		await this.#proposals.decide(auth!, m, proposalId, accept, m.minutesLocale);
		this.bus.emit('meeting.changed', { meetingId: m.id });
	}

	/** The author of an objection (on an open round) withdraws it before the chair decides. */
	async withdrawProposal(auth: Authenticated | null, id: number, proposalId: number): Promise<void> {
		const { meeting } = await this.#readable(auth, id);
		if (!auth || !canTakePart(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		await this.#proposals.withdraw(auth, meeting.id, proposalId);
	}

	/**
	 * What became of a consent round's objections (members, who may read the round): the meeting each went to, its
	 * status, and the outcome the meeting posted back.
	 */
	async followUps(auth: Authenticated | null, voteId: number) {
		if (!isActiveMember(auth?.actor ?? null)) return [];
		await this.votes.get(auth, voteId);
		return this.#proposals.ofVote(voteId);
	}

	/** Moves a closed consent round's objections to the body's next meeting (once; see AgendaProposals). */
	moveObjections(voteId: number): Promise<number> {
		return this.#proposals.moveObjections(voteId);
	}

	/** Rounds closed whose objections no node moved yet (called by the schedule). */
	sweepObjections(): Promise<void> {
		return this.#proposals.sweep();
	}

	/**
	 * Puts the minutes to approval in one action (a chair): a version with its hash goes to a yes/no vote of the
	 * body, now (the meeting is live) or as the first item of its next meeting. Returns the vote.
	 */
	async putMinutes(auth: Authenticated | null, id: number, when: 'now' | 'next'): Promise<number> {
		const m = await this.#chaired(auth, id);
		const voteId = await this.#approval.put(auth!, m, when);
		this.bus.emit('meeting.changed', { meetingId: m.id });
		return voteId;
	}

	// ——— the live room ———

	/**
	 * A socket entered the room: a member is shown as here (unless it only watches, as the projector does); anyone
	 * else who may see the meeting only follows it: a visitor (`auth` null) a public meeting's, and nothing else.
	 * Returns the room as it is, as this person may see it (roomForVisitors for a visitor).
	 */
	async join(auth: Authenticated | null, id: number, socketId: string, watchOnly = false): Promise<LiveState> {
		const { meeting } = await this.#readable(auth, id);
		if (!auth) return roomForVisitors(await this.#state(meeting));
		if (!watchOnly && canTakePart(auth.actor) && (await this.presence.join(meeting.id, auth.actor.id, socketId))) {
			this.bus.emit('meeting.changed', { meetingId: meeting.id });
		}
		return this.#state(meeting);
	}

	/**
	 * After an access change: whether a socket in the room may still follow it. One that may not, or whose person
	 * may no longer take part, is no longer shown as here.
	 */
	async mayStay(auth: Authenticated | null, id: number, socketId: string): Promise<boolean> {
		const meeting = await this.#find(id);
		const actor = auth?.actor ?? null;
		const visible = !!meeting && canSeeMeeting(actor, meeting);
		if (!visible || !canTakePart(actor)) await this.leave(socketId, id);
		return visible;
	}

	/** A socket left a room (or disconnected, `id` omitted: every room). */
	async leave(socketId: string, id?: number): Promise<void> {
		for (const meetingId of await this.presence.leave(socketId, id)) this.bus.emit('meeting.changed', { meetingId });
	}

	/** Everything the room's buttons do (who may do what: ROOM_ACTIONS in the domain). */
	async act(auth: Authenticated | null, id: number, action: MeetingAction): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		const { meeting, facts } = await this.#readable(auth, id);
		// Only members take part in a room (an applicant may read a public meeting, not act in it).
		if (!canTakePart(auth.actor)) throw new DomainError('forbidden');
		await this.#room.act(auth, meeting, canChair(auth.actor, facts), action);
		this.bus.emit('meeting.changed', { meetingId: meeting.id });
	}

	/** Opens a vote on an agenda item of a live meeting (a chair); those checked in are its electorate. */
	async openVote(auth: Authenticated | null, id: number, itemId: number, input: VoteInput, unread: Record<string, string> = {}, election: Election | null = null): Promise<number> {
		const m = await this.#chaired(auth, id);
		if (m.status !== 'live') throw new DomainError('conflict', 'meeting_not_live');
		const item = (await repo.agendaOf(this.db, m.id)).map(agendaRowToItem).find((a) => a.id === itemId);
		if (!item || item.status === 'done') throw new DomainError('not_found', 'no_item');
		const voteId = await this.votes.createInMeeting(auth!, input, { id: m.id, itemId, groupId: m.groupId, visibility: m.visibility }, item.thread ? { threadId: item.thread.id } : {}, unread, true, election);
		this.bus.emit('meeting.changed', { meetingId: m.id });
		return voteId;
	}

	/**
	 * The calendar feed: upcoming and recent meetings the reader may see (calendar apps send no cookie, so a feed
	 * read without a session lists public meetings only).
	 */
	async calendar(auth: Authenticated | null, origin: string, name: string, organiser: CalendarOrganiser | null = null): Promise<string> {
		const [upcoming, past] = await Promise.all([this.list(auth), this.list(auth, { past: true })]);
		return meetingsCalendar(name, [...upcoming, ...past.slice(0, 50)], origin, organiser);
	}

	/** One meeting as an .ics file. */
	async calendarOf(auth: Authenticated | null, id: number, origin: string, organiser: CalendarOrganiser | null = null): Promise<string> {
		const { meeting } = await this.#readable(auth, id);
		return meetingsCalendar(meeting.title, [{ ...this.#summary(meeting), description: meeting.description }], origin, organiser);
	}

	/** The meeting a vote belongs to (for the broadcaster), or null. */
	meetingOfVote(voteId: number): Promise<number | null> {
		return repo.meetingOfVote(this.db, voteId);
	}
}
