import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import type { BallotBox, CastEntry } from '../db/repositories/ballot-box.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { groupsFacilitatedBy } from '../db/repositories/group.repository.js';
import { ballotProblem, rulesOf, type Vote, type VoteInput, type VoteRules } from '../domain/votes.js';
import { countVote } from '../../src/lib/shared/count.js';
import { proxiesAtOpening } from '../domain/proxies.js';
import * as proxyRepo from '../db/repositories/proxy.repository.js';
import { chamberOfUnit } from '../../src/lib/shared/chambers.js';
import { isActiveMember } from '../domain/permissions.js';
import { bodyDecidesDraft } from '../domain/drafts.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import { ballotSchema } from '../../src/lib/shared/vote-schemas.js';
import { userUnit, type CastOutcome, type CastRequest, type DecisionView, type Outcome, type PublishedBallot, type VoteResult, type VoteSummary, type VoteTally, type VoteView } from '../../src/lib/shared/votes.js';
import { voteInputIssues, type SubjectInput } from '../../src/lib/shared/vote-input.js';
import { electionProblems, openingProblem } from '../../src/lib/shared/elections.js';
import { candidatesToOptions } from '../db/repositories/election.repository.js';
import type { Abilities } from './abilities.service.js';
import type { Authenticated } from './auth.service.js';
import type { DraftsService } from './drafts.service.js';
import type { ForumService } from './forum.service.js';
import type { NotificationsService } from './notifications.service.js';
import { BallotWriter, castRefused, type WrittenBatch } from './vote-ballot-writer.js';
import { VoteViews, type VoteListing } from './vote-views.service.js';
import { VoteReceipts } from './vote-receipts.service.js';
import { DecisionsRegister, type DecisionFilter, type DecisionsPage } from './decisions.service.js';
import { AmendmentVotes, type AmendmentLink } from './amendment-votes.service.js';
import { DecisionChains } from './decision-chain.service.js';
import { insertVoteAmendments } from '../db/repositories/amendment-vote.repository.js';
import { recordWebhookEvent } from '../db/repositories/webhook-event.repository.js';

/** An election: a ranked vote for `seats`, counted by STV, with a candidacy period until it opens. */
export interface Election {
	seats: number;
}
export type { CastRequest, SubjectInput };

/** What casting needs of a vote, fixed once it exists: read once, then kept. */
type CastingRules = { rules: VoteRules } & Pick<Vote, 'secret' | 'eligibility' | 'results' | 'chambers'>;

/**
 * Votes: creating, opening (electorate frozen), casting, closing with the decision — and, through its parts, reading
 * them (VoteViews), receipts (VoteReceipts) and the register (DecisionsRegister). Casts and closes go through one
 * writer (BallotWriter), so a close counts exactly the casts before it and nothing after.
 *
 * Secret ballots (DESIGN.md §3): participation and ballots are separate tables; a ballot carries no member, no time
 * and no insertion order (a random receipt is its key). Events, logs and the audit trail carry vote ids and counts,
 * never choices.
 */
export class VotesService {
	readonly #writer: BallotWriter;
	readonly #views: VoteViews;
	readonly #receipts: VoteReceipts;
	readonly #register: DecisionsRegister;
	readonly #amendments: AmendmentVotes;
	readonly #chains: DecisionChains;
	readonly #rules = new Map<number, CastingRules>();

	constructor(
		private readonly db: Db,
		box: BallotBox,
		private readonly bus: EventBus,
		private readonly abilities: Abilities,
		private readonly forum: ForumService,
		private readonly drafts: DraftsService,
		private readonly notifications: NotificationsService,
		private readonly logger: Logger,
		private readonly clock: () => number = Date.now
	) {
		this.#writer = new BallotWriter(box, (batch) => this.#written(batch));
		bus.on('app.stopping', () => this.#writer.stop());
		this.#views = new VoteViews(db, box, abilities, forum, drafts);
		this.#receipts = new VoteReceipts(db, this.#views);
		this.#register = new DecisionsRegister(db, drafts);
		this.#amendments = new AmendmentVotes(db, drafts);
		this.#chains = new DecisionChains(this.#register, this.#views, this.#receipts, drafts);
	}

	// ——— reading ———

	list(auth: Authenticated | null, opts: VoteListing = {}): Promise<VoteSummary[]> {
		return this.#views.list(auth, opts);
	}

	get(auth: Authenticated | null, id: number): Promise<VoteView> {
		return this.#views.get(auth, id);
	}

	/** The title of what a new vote would hang on, when this person may read it ('' otherwise), for the new-vote form. */
	subjectTitle(auth: Authenticated | null, s: SubjectInput): Promise<string> {
		return this.#views.subjectTitle(auth, s);
	}

	/** What "put to a vote" fills the new-vote form with for an amendment (and the alternatives to it). */
	amendmentProposal: AmendmentVotes['proposal'] = (auth, amendmentId) => this.#amendments.proposal(auth, amendmentId);

	/** The outcome of the decision already taken on a draft version the reader may read, or null. */
	async subjectDecision(auth: Authenticated | null, s: SubjectInput): Promise<Outcome | null> {
		if (!s.draftId || !(await this.drafts.mayRead(auth, s.draftId))) return null;
		const ver = await repo.versionFor(this.db, { draftId: s.draftId, number: s.versionNumber ?? 0 });
		const decision = ver && (await repo.decisionOfVersion(this.db, ver.id));
		return decision ? (decision.outcome as Outcome) : null;
	}

	/** Live figures for a watcher: which room they belong in (full results or participation only) and the figures. */
	watch(auth: Authenticated | null, id: number): Promise<{ full: boolean; tally: VoteTally }> {
		return this.#views.watch(auth, id);
	}

	/** What the broadcaster sends: participation for everyone, and full results for those allowed to see them. */
	liveTallies(id: number): Promise<{ participation: VoteTally; full: VoteTally | null } | null> {
		return this.#views.liveTallies(id);
	}

	/** After closing: every receipt with its ballot (and, for open votes, who cast it), in receipt order. */
	published(auth: Authenticated | null, id: number): Promise<PublishedBallot[]> {
		return this.#receipts.published(auth, id);
	}

	/** The register of decisions, filtered. */
	decisions(auth: Authenticated | null, filter: DecisionFilter = {}): Promise<DecisionsPage> {
		return this.#register.list(auth, filter);
	}

	/** Entries of the register alone (one, or a page after a cursor), as far as the reader may see them. */
	decisionEntries(auth: Authenticated | null, filter: DecisionFilter = {}): Promise<DecisionView[]> {
		return this.#register.entries(auth, filter);
	}

	/** A decision's whole chain: debate, draft version, amendments, rules, ballots, result, the change applied. */
	decisionChain: DecisionChains['get'] = (auth, id) => this.#chains.get(auth, id);

	// ——— creating, opening, closing ———

	/** Groups this person may run votes for (all, for coordinators), and whether they may run network-wide votes. */
	async creationOptions(auth: Authenticated | null): Promise<{ network: boolean; groups: { id: number; slug: string; name: string }[] }> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const network = await this.abilities.mayCall(auth, null);
		const groups = await groupsFacilitatedBy(this.db, network ? null : auth.actor.id);
		if (!network && !groups.length) throw new DomainError('forbidden');
		return { network, groups };
	}

	/**
	 * Creates a vote (scheduled, or opened at once) on a thread, a draft version or an amendment. `unread` are the
	 * fields a form could not even read (told together with the vote's own problems, once the person is authorised).
	 */
	async create(auth: Authenticated | null, input: VoteInput, subject: SubjectInput = {}, openNow = false, unread: Record<string, string> = {}, election: Election | null = null): Promise<number> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		if (!(await this.abilities.mayCall(auth, input.groupId))) throw new DomainError('forbidden');
		await this.abilities.refuseArchivedGroup(input.groupId);
		const now = this.clock();
		this.#check(input, now, election ? { ...unread, ...electionProblems({ ...election, eligibility: input.eligibility, opensAt: input.opensAt }, now) } : unread, !!election);
		if (election && openNow) throw new DomainError('invalid_input', 'an election opens after its candidacy period', { opensAt: 'candidacy_deadline_required' });
		const { alternatives, ...links } = await this.#links(auth, subject, input);
		const id = await this.db.transaction().execute(async (trx) => {
			const voteId = await repo.insertVote(trx, {
				...repo.newVoteRow(input, election?.seats ?? null),
				...links,
				opens_at: openNow ? null : input.opensAt,
				created_by: auth.actor.id,
				created_at: now
			});
			await insertVoteAmendments(trx, voteId, alternatives);
			return voteId;
		});
		if (openNow || (input.opensAt !== null && input.opensAt <= now)) await this.#open(id, auth.actor.id);
		return id;
	}

	/** Refuses a vote's input with every problem by field: its own (voteInputSchema) and what a form could not read. */
	#check(input: VoteInput, now: number, unread: Record<string, string>, election = false): void {
		const own = voteInputIssues(input, now);
		// An election's options are its candidates, known when its candidacy period ends.
		if (election) delete own.options;
		const problems = { ...own, ...unread };
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'vote has problems', problems);
	}

	/**
	 * A vote held in a meeting on one of its agenda items, opened at once (or, `openNow` false, when its chair opens
	 * it there): those checked in (and eligible by the meeting's body) are its electorate. An election waits for its
	 * candidates: its chair opens it from the room. The meetings service has authorised the chair.
	 */
	async createInMeeting(
		auth: Authenticated,
		input: VoteInput,
		meeting: { id: number; itemId: number; groupId: number | null; visibility: 'public' | 'members' },
		subject: SubjectInput = {},
		unread: Record<string, string> = {},
		openNow = true,
		election: Election | null = null
	): Promise<number> {
		const body = { ...input, eligibility: meeting.groupId === null ? ('members' as const) : ('group' as const), groupId: meeting.groupId, visibility: meeting.visibility, opensAt: null, closesAt: null };
		const now = this.clock();
		this.#check(body, now, election ? { ...unread, ...electionProblems({ ...election, eligibility: body.eligibility, opensAt: null }, now, true) } : unread, !!election);
		const { alternatives, ...links } = await this.#links(auth, subject, body);
		const id = await this.db.transaction().execute(async (trx) => {
			const voteId = await repo.insertVote(trx, { ...repo.newVoteRow(body, election?.seats ?? null), ...links, created_by: auth.actor.id, created_at: this.clock(), meeting_id: meeting.id, agenda_item_id: meeting.itemId });
			await insertVoteAmendments(trx, voteId, alternatives);
			return voteId;
		});
		if (openNow && !election) await this.#open(id, auth.actor.id);
		return id;
	}

	/** Opens a meeting's scheduled vote for its chair (authorised by the meetings service); an election's candidacy ends. */
	async openInMeeting(voteId: number, actorId: number): Promise<void> {
		if (!(await this.#open(voteId, actorId))) throw new DomainError('conflict', 'vote_not_scheduled');
	}

	/** Closes a meeting's vote for its chair (authorised by the meetings service). */
	closeInMeeting(voteId: number, actorId: number): Promise<VoteResult> {
		return this.#close(voteId, actorId);
	}

	async #links(auth: Authenticated, s: SubjectInput, input: VoteInput): Promise<{ thread_id: number | null; draft_version_id: number | null; amendment_id: number | null } & Pick<AmendmentLink, 'alternatives'>> {
		const none = { thread_id: null, draft_version_id: null, amendment_id: null, alternatives: [] };
		if (s.amendmentId) return { ...none, ...(await this.#amendments.link(auth, s.amendmentId, input)) };
		if (s.draftId) {
			const ver = await repo.versionFor(this.db, { draftId: s.draftId, number: s.versionNumber ?? 0 });
			if (!ver) throw new DomainError('invalid_input', 'version', { subject: 'not_found' });
			if (!bodyDecidesDraft(input.groupId, await this.drafts.bodyOf(auth, s.draftId))) throw new DomainError('invalid_input', 'a draft of another body', { subject: 'other_body' });
			// A version already decided is voted on again only when asked for explicitly (the form asks first).
			if (!s.again && (await repo.decisionOfVersion(this.db, ver.id))) throw new DomainError('invalid_input', 'version already decided', { subject: 'already_decided' });
			return { ...none, draft_version_id: ver.id };
		}
		if (s.threadId) {
			await this.forum.assertCanWatch(auth, s.threadId);
			return { ...none, thread_id: s.threadId };
		}
		return none;
	}

	/** A vote this person may see and manage: those who may call votes in its group. */
	async #manageable(auth: Authenticated | null, id: number): Promise<Vote> {
		const vote = await this.#views.readable(auth, id);
		if (!(await this.abilities.mayCall(auth, vote.groupId))) throw new DomainError('forbidden');
		return vote;
	}

	/** Opens a scheduled vote by hand. */
	async open(auth: Authenticated | null, id: number): Promise<void> {
		const vote = await this.#manageable(auth, id);
		if (vote.status !== 'scheduled' || !(await this.#open(vote.id, auth!.actor.id))) throw new DomainError('conflict', 'vote_not_scheduled');
	}

	/** Freezes the electorate and opens; false if it was not scheduled any more. */
	async #open(id: number, actorId: number | null): Promise<boolean> {
		const opened = await this.db.transaction().execute(async (trx) => {
			const v = await repo.findVote(trx, id);
			if (!v || v.status !== 'scheduled') return false;
			// An election's candidacy period ends here: its candidates become the ballot's options (none: it stays shut).
			const problem = v.seats === null ? null : openingProblem((await candidatesToOptions(trx, id)).length);
			if (problem) throw new DomainError('conflict', problem, { election: problem });
			const present = await repo.currentElectorate(trx, v.eligibility, v.groupId, v.meetingId, !!v.chambers);
			// Proxies are frozen now (server/domain/proxies.ts): in a meeting, an absent giver whose holder is present
			// joins the electorate, cast by the holder. Organisations' votes take none.
			const given = v.eligibility === 'organisations' ? [] : await proxyRepo.proxiesForOpening(trx, id, v.meetingId);
			const proxies = proxiesAtOpening(
				new Set(present),
				given.map((g) => ({ giverId: g.giver_id, holderId: g.holder_id, giverEligible: g.status === 'active' })),
				v.meetingId !== null
			);
			const units = [...present, ...proxies.add];
			if (!(await repo.openVote(trx, id, units, this.clock()))) return false;
			await proxyRepo.freezeProxies(trx, id, proxies.frozen);
			const data = { eligible: units.length, ...(proxies.frozen.length ? { proxies: proxies.frozen.length } : {}) };
			await insertAudit(trx, { actor_id: actorId, action: 'vote.opened', subject_type: 'vote', subject_id: String(id), data, created_at: this.clock() });
			await recordWebhookEvent(trx, 'vote.opened', id, this.clock());
			return true;
		});
		if (opened) this.bus.emit('vote.opened', { voteId: id });
		return opened;
	}

	/** Cancels a vote that has not opened yet. */
	async cancel(auth: Authenticated | null, id: number): Promise<void> {
		const vote = await this.#manageable(auth, id);
		if (!(await this.#cancel(vote.id, auth!.actor.id))) throw new DomainError('conflict', 'vote_not_scheduled');
	}

	/**
	 * Cancels a scheduled vote, in the audit trail with it: by a member (`actorId`), or by the schedule (null) when an
	 * election's opening came with nobody standing, which its caller is then told rather than finding it gone.
	 */
	async #cancel(id: number, actorId: number | null): Promise<boolean> {
		const now = this.clock();
		const cancelled = await this.db.transaction().execute(async (trx) => {
			if (!(await repo.setVoteStatus(trx, id, 'scheduled', 'cancelled', now))) return null;
			const action = actorId === null ? 'vote.cancelled_no_candidates' : 'vote.cancelled';
			await insertAudit(trx, { actor_id: actorId, action, subject_type: 'vote', subject_id: String(id), data: {}, created_at: now });
			return actorId === null ? this.notifications.electionCancelled(trx, id) : { live: [], mailed: false };
		});
		if (!cancelled) return false;
		this.bus.emit('vote.cancelled', { voteId: id });
		this.notifications.announce(cancelled);
		return true;
	}

	/** Closes an open vote by hand and returns its result; closing a closed vote returns the result it closed with. */
	async close(auth: Authenticated | null, id: number): Promise<VoteResult> {
		const vote = await this.#manageable(auth, id);
		return this.#close(vote.id, auth!.actor.id);
	}

	async #close(id: number, actorId: number | null): Promise<VoteResult> {
		const r = await this.#castingRules(id);
		if (!r) throw new DomainError('not_found');
		const closed = await this.#writer.close({ voteId: id, actorId, now: this.clock(), count: (ballots, eligible) => countVote(r.rules, r.chambers, ballots, eligible) }, r.secret);
		if (closed === 'not_found') throw new DomainError('not_found');
		if (closed === 'not_open') throw new DomainError('conflict', 'vote_not_open');
		const { result } = closed;
		return result;
	}

	/**
	 * Opens and closes what the schedule says is due (called by a timer); one that fails is logged, the rest go on.
	 * An election nobody stood in is cancelled at its opening: its candidacy is over, so nobody ever will.
	 */
	async tick(): Promise<void> {
		const { toOpen, toClose } = await repo.dueVotes(this.db, this.clock());
		for (const voteId of toOpen) {
			await this.#open(voteId, null)
				.catch((error: unknown) => (isDomainError(error) && error.message === 'no_candidates' ? this.#cancel(voteId, null) : Promise.reject(error)))
				.catch((error: unknown) => this.logger.error('scheduled vote opening failed', { voteId, error }));
		}
		for (const voteId of toClose) await this.#close(voteId, null).catch((error: unknown) => this.logger.error('scheduled vote closing failed', { voteId, error }));
	}

	// ——— casting ———

	async #castingRules(id: number): Promise<CastingRules | null> {
		let r = this.#rules.get(id);
		if (!r) {
			const v = await repo.findVote(this.db, id);
			if (!v) return null;
			r = { rules: rulesOf(v), secret: v.secret, eligibility: v.eligibility, results: v.results, chambers: v.chambers };
			// An election's options are its candidates, fixed only when it opens: keep its rules from then on.
			if (v.status !== 'scheduled') this.#rules.set(id, r);
		}
		return r;
	}

	/** Resolves once every ballot queued so far is written and answered (BallotWriter.settled). */
	ballotsSettled(): Promise<void> {
		return this.#writer.settled();
	}

	/** Whether casting a ballot lets the voter see the live results (results shown "after voting", not secret). */
	revealsOnVoting(id: number): boolean {
		const r = this.#rules.get(id);
		return !!r && !r.secret && r.results === 'after_voting';
	}

	/**
	 * Casts (or, with `replace`, changes) a ballot. A repeated cast is refused "already_voted", however it arrives;
	 * the guard is the participation table's primary key, checked in the same transaction as the write. A retry of a
	 * cast that was written (same cast id) is answered as the first time, with its receipt: its voter may never have
	 * seen that answer. A secret ballot is changed only with its receipt and the change key of the device that cast it.
	 */
	async cast(auth: Authenticated | null, id: number, req: CastRequest): Promise<CastOutcome> {
		if (!auth) throw new DomainError('unauthenticated');
		const r = Number.isSafeInteger(id) && id > 0 ? await this.#castingRules(id) : null;
		if (!r) throw new DomainError('not_found');
		const parsed = ballotSchema.safeParse(req.ballot);
		if (!parsed.success) throw new DomainError('invalid_input', 'ballot', { ballot: 'invalid_choice' });
		const ballot = parsed.data;
		const problem = ballotProblem(r.rules, ballot);
		if (problem) throw new DomainError('invalid_input', 'ballot', { ballot: problem });
		const unit = req.proxyFor === undefined ? await this.#views.unitOf(auth, r, req.organisationId) : await this.#proxyUnit(auth, id, req.proxyFor);
		if (!unit) throw new DomainError('forbidden', 'not_eligible', { ballot: 'not_eligible' });
		const replace = !!req.replace;
		const chamber = r.chambers ? chamberOfUnit(unit.unit) : null;
		const proxy = req.proxyFor !== undefined;
		const entry: CastEntry = { voteId: id, userId: auth.actor.id, unit: unit.unit, chamber, proxy, ballot, replace, ...this.#receipts.keysFor(r.secret, req) };
		const counted = await this.#writer.cast(entry, r.secret);
		if (typeof counted === 'string') throw castRefused(counted);
		// A changed open ballot keeps its first receipt; the voter sees it on the page.
		return { receipt: replace && !r.secret ? '' : counted.receipt, changed: replace };
	}

	/** The giver's unit when this member holds their proxy in the vote (frozen at opening); refused otherwise. */
	async #proxyUnit(auth: Authenticated, voteId: number, giverId: number): Promise<{ unit: string; organisation: null }> {
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden', 'not_eligible', { ballot: 'not_eligible' });
		const unit = userUnit(giverId);
		if ((await proxyRepo.holderOf(this.db, voteId, unit)) !== auth.actor.id) throw new DomainError('forbidden', 'proxy_not_held', { ballot: 'proxy_not_held' });
		return { unit, organisation: null };
	}

	/** After each written batch: live tallies follow the casts; each vote closed is announced, and what it decided applied. */
	async #written({ cast, closed, ballots }: WrittenBatch): Promise<void> {
		if (ballots) this.bus.emit('vote.ballots_written', { count: ballots });
		for (const voteId of cast) this.bus.emit('vote.cast', { voteId });
		for (const voteId of closed) {
			this.bus.emit('vote.closed', { voteId });
			await this.#amendments.decide(voteId).catch((error: unknown) => this.logger.error('applying the outcome of a closed vote failed', { voteId, error }));
		}
	}
}
