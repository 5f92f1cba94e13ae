import crypto from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { facilitatesAnyGroup, groupRole } from '../db/repositories/group.repository.js';
import {
	ballotProblem,
	canManageVote,
	canSeeVote,
	organisationUnit,
	resultsShown,
	tally,
	userUnit,
	voteInputProblems,
	type Quorum,
	type VoteFacts,
	type VoteInput,
	type VoteRules
} from '../domain/votes.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import {
	ballotSchema,
	type Ballot,
	type CastOutcome,
	type DecisionView,
	type PublishedBallot,
	type VoteOption,
	type VoteResult,
	type VoteSubject,
	type VoteSummary,
	type VoteTally,
	type VoteView
} from '../../src/lib/shared/votes.js';
import type { Authenticated } from './auth.service.js';
import type { DraftsService } from './drafts.service.js';
import type { ForumService } from './forum.service.js';
import { toHtmlFragment } from '../render/html.renderer.js';
import type { PmNode } from '../render/prosemirror-json.js';

type Vote = repo.VoteWithGroup;

/** Crockford's base32: no I, L, O, U — read aloud or copied by hand without confusion. */
const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 60 random bits as XXXX-XXXX-XXXX. */
export function newReceipt(): string {
	const bytes = crypto.randomBytes(12);
	let s = '';
	for (let i = 0; i < 12; i++) s += RECEIPT_ALPHABET[bytes[i] & 31];
	return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

const REFUSALS: Record<repo.CastRefusal, [code: 'conflict' | 'forbidden' | 'not_found', message: string]> = {
	closed: ['conflict', 'vote_not_open'],
	not_eligible: ['forbidden', 'not_eligible'],
	already_voted: ['conflict', 'already_voted'],
	not_voted: ['conflict', 'not_voted'],
	receipt_unknown: ['not_found', 'receipt_unknown']
};

interface Job {
	run: () => unknown;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
	secret: boolean;
	voteId: number;
	kind: 'cast' | 'close';
}

export interface CastRequest {
	ballot: unknown;
	/** Change the ballot already cast (open votes until closing). */
	replace?: boolean;
	/** Secret votes: the receipt of the ballot to change. */
	receipt?: string;
	/** Organisation votes, for someone who represents several. */
	organisationId?: number;
}

export interface SubjectInput {
	threadId?: number;
	draftId?: number;
	versionNumber?: number;
	amendmentId?: number;
}

/**
 * Votes: creating, opening (electorate frozen), casting, closing with the decision, results as each reader may see
 * them. Casts and closes go through one queue and are written in batches, in arrival order, each batch one
 * transaction (BallotBox), so a close counts exactly the casts before it and nothing after.
 *
 * Secret ballots (DESIGN.md §3): participation and ballots are separate tables; a ballot carries no member, no time
 * and no insertion order (a random receipt is its key). Writes sit in SQLite's WAL until a checkpoint, in the order
 * they were made, so a participation and its ballot written together could be paired by reading the WAL: after
 * every batch holding secret ballots the WAL is checkpointed and truncated. Events, logs and the audit trail carry
 * vote ids and counts, never choices.
 */
export class VotesService {
	readonly #box: repo.BallotBox;
	readonly #queue: Job[] = [];
	#flushing = false;
	/** The rules of votes by id: fixed once a vote exists, read on every cast. */
	readonly #rules = new Map<number, { rules: VoteRules; secret: boolean; eligibility: Vote['eligibility']; results: Vote['results'] }>();

	constructor(
		private readonly db: Db,
		raw: SQLite.Database,
		private readonly bus: EventBus,
		private readonly forum: ForumService,
		private readonly drafts: DraftsService,
		private readonly clock: () => number = Date.now
	) {
		this.#box = new repo.BallotBox(raw);
	}

	// ——— reading ———

	async #facts(auth: Authenticated | null, v: Vote): Promise<VoteFacts> {
		const facilitates = !!auth && v.group_id !== null && (await groupRole(this.db, v.group_id, auth.actor.id)) === 'facilitator';
		return { visibility: v.visibility, eligibility: v.eligibility, groupId: v.group_id, facilitates };
	}

	async #readable(auth: Authenticated | null, id: number): Promise<{ vote: Vote; facts: VoteFacts }> {
		const vote = Number.isSafeInteger(id) && id > 0 ? await repo.findVote(this.db, id) : undefined;
		if (!vote) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		const facts = await this.#facts(auth, vote);
		if (!canSeeVote(auth?.actor ?? null, facts)) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return { vote, facts };
	}

	#rulesOf(v: Vote): VoteRules {
		const quorum: Quorum = v.quorum_kind === 'count' ? { kind: 'count', count: v.quorum_value } : v.quorum_kind === 'share' ? { kind: 'share', share: v.quorum_value } : { kind: 'none' };
		const options = (JSON.parse(v.options) as VoteOption[]).map((o) => o.id);
		return { method: v.method, options, minApprovals: v.min_approvals ?? undefined, maxApprovals: v.max_approvals ?? undefined, quorum, threshold: v.threshold };
	}

	#summary(v: Vote): VoteSummary {
		return {
			id: v.id,
			title: v.title,
			method: v.method,
			status: v.status,
			secret: !!v.secret,
			eligibility: v.eligibility,
			group: v.group_slug && v.group_name ? { slug: v.group_slug, name: v.group_name } : null,
			opensAt: v.opens_at,
			closesAt: v.closes_at,
			participants: v.participants,
			eligible: v.eligible_count,
			outcome: v.result ? (JSON.parse(v.result) as VoteResult).outcome : null
		};
	}

	async list(auth: Authenticated | null, opts: { closed?: boolean; threadId?: number } = {}): Promise<VoteSummary[]> {
		const rows = await repo.listVotes(this.db, { member: isActiveMember(auth?.actor ?? null), closed: !!opts.closed, threadId: opts.threadId });
		return rows.map((v) => this.#summary(v));
	}

	/** The unit this person votes as, or null when they are not an active member (or represent no organisation). */
	async #unitOf(auth: Authenticated | null, v: Pick<Vote, 'eligibility'>, organisationId?: number): Promise<{ unit: string; organisation: { id: number; name: string } | null } | null> {
		if (!auth || !isActiveMember(auth.actor)) return null;
		if (v.eligibility !== 'organisations') return { unit: userUnit(auth.actor.id), organisation: null };
		const orgs = await repo.representedBy(this.db, auth.actor.id);
		const org = organisationId ? orgs.find((o) => o.id === organisationId) : orgs[0];
		return org ? { unit: organisationUnit(org.id), organisation: org } : null;
	}

	/** Figures as this person may see them now. */
	#tallyFor(v: Vote, voted: boolean, ballots?: string[]): VoteTally {
		const closed = v.status === 'closed';
		const shown = resultsShown({ visibility: v.results, secret: !!v.secret, closed }, voted);
		let result: VoteResult | null = null;
		if (closed && v.result) result = JSON.parse(v.result) as VoteResult;
		else if (shown === 'full' && v.status === 'open') result = tally(this.#rulesOf(v), (ballots ?? this.#box.choices(v.id)).map((c) => JSON.parse(c) as Ballot), v.eligible_count);
		return { voteId: v.id, status: v.status, participants: v.participants, eligible: v.eligible_count, result };
	}

	async get(auth: Authenticated | null, id: number): Promise<VoteView> {
		const { vote: v, facts } = await this.#readable(auth, id);
		const unit = await this.#unitOf(auth, v);
		const eligible = !!unit && (v.status === 'open' ? await repo.hasUnit(this.db, 'vote_eligible', v.id, unit.unit) : v.status === 'scheduled');
		const voted = !!unit && (await repo.hasUnit(this.db, 'vote_participants', v.id, unit.unit));
		const own = unit && voted && !v.secret ? await repo.ballotOfUnit(this.db, v.id, unit.unit) : null;
		const decision = v.status === 'closed' ? await repo.decisionOfVote(this.db, v.id) : undefined;
		const { subject, versionHtml } = await this.#subject(auth, v);
		return {
			...this.#summary(v),
			description: v.description,
			options: JSON.parse(v.options) as VoteOption[],
			minApprovals: v.min_approvals,
			maxApprovals: v.max_approvals,
			visibility: v.visibility,
			results: v.results,
			quorum: { kind: v.quorum_kind, value: v.quorum_value },
			threshold: v.threshold,
			subject,
			versionHtml,
			openedAt: v.opened_at,
			closedAt: v.closed_at,
			tally: this.#tallyFor(v, voted),
			me: { eligible, voted, ballot: own ? (JSON.parse(own.choice) as Ballot) : null, receipt: own?.receipt ?? null, organisation: unit?.organisation ?? null },
			can: { manage: canManageVote(auth?.actor ?? null, facts) },
			decisionId: decision?.id ?? null
		};
	}

	/** What the vote hangs on, shown only as far as this reader may read it. */
	async #subject(auth: Authenticated | null, v: Vote): Promise<{ subject: VoteSubject; versionHtml: string | null }> {
		const readable = (p: Promise<unknown>) => p.then(() => true, () => false);
		if (v.thread_id !== null) {
			const t = await repo.threadTitle(this.db, v.thread_id);
			if (t && (await readable(this.forum.assertCanWatch(auth, t.id)))) return { subject: { kind: 'thread', threadId: t.id, title: t.title }, versionHtml: null };
		}
		if (v.amendment_id !== null) {
			const a = await repo.amendmentFor(this.db, v.amendment_id);
			if (a && (await readable(this.drafts.get(auth, a.draft_id))))
				return { subject: { kind: 'amendment', draftId: a.draft_id, draftTitle: a.draft_title, amendmentId: a.id, original: a.original, replacement: a.replacement }, versionHtml: null };
		}
		if (v.draft_version_id !== null) {
			const ver = await repo.versionFor(this.db, { id: v.draft_version_id });
			if (ver && (await readable(this.drafts.get(auth, ver.draft_id))))
				return {
					subject: { kind: 'version', draftId: ver.draft_id, draftTitle: ver.draft_title, number: ver.number, name: ver.name, hash: ver.hash },
					versionHtml: toHtmlFragment(JSON.parse(ver.content) as PmNode)
				};
		}
		return { subject: null, versionHtml: null };
	}

	/** The title of what a new vote would hang on, when this person may read it ('' otherwise), for the new-vote form. */
	async subjectTitle(auth: Authenticated | null, s: SubjectInput): Promise<string> {
		if (s.draftId) return this.drafts.get(auth, s.draftId).then((d) => d.title, () => '');
		if (s.threadId) {
			const t = await repo.threadTitle(this.db, s.threadId);
			return t && (await this.forum.assertCanWatch(auth, t.id).then(() => true, () => false)) ? t.title : '';
		}
		return '';
	}

	/** Live figures for a watcher: which room they belong in (full results or participation only) and the figures. */
	async watch(auth: Authenticated | null, id: number): Promise<{ full: boolean; tally: VoteTally }> {
		const { vote: v } = await this.#readable(auth, id);
		const unit = await this.#unitOf(auth, v);
		const voted = !!unit && (await repo.hasUnit(this.db, 'vote_participants', v.id, unit.unit));
		const t = this.#tallyFor(v, voted);
		return { full: t.result !== null || v.status === 'closed', tally: t };
	}

	/** What the broadcaster sends: participation for everyone, and full results for those allowed to see them. */
	async liveTallies(id: number): Promise<{ participation: VoteTally; full: VoteTally | null } | null> {
		const v = await repo.findVote(this.db, id);
		if (!v) return null;
		const participation: VoteTally = { voteId: v.id, status: v.status, participants: v.participants, eligible: v.eligible_count, result: null };
		if (v.status === 'closed') return { participation: this.#tallyFor(v, true), full: this.#tallyFor(v, true) };
		if (v.secret || v.results === 'after_close') return { participation, full: null };
		return { participation, full: this.#tallyFor(v, true) };
	}

	/** After closing: every receipt with its ballot (and, for open votes, who cast it), in receipt order. */
	async published(auth: Authenticated | null, id: number): Promise<PublishedBallot[]> {
		const { vote: v } = await this.#readable(auth, id);
		if (v.status !== 'closed') return [];
		const rows = await repo.ballotsOf(this.db, v.id);
		const names = v.secret ? new Map<string, string>() : await repo.unitNames(this.db, rows.flatMap((r) => (r.unit ? [r.unit] : [])));
		return rows.map((r) => ({ receipt: r.receipt, ballot: JSON.parse(r.choice) as Ballot, voter: !v.secret && isActiveMember(auth?.actor ?? null) && r.unit ? (names.get(r.unit) ?? null) : null }));
	}

	// ——— creating, opening, closing ———

	/** Groups this person may run votes for (all, for coordinators), and whether they may run network-wide votes. */
	async creationOptions(auth: Authenticated | null): Promise<{ network: boolean; groups: { id: number; slug: string; name: string }[] }> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const coordinator = hasRole(auth.actor, 'coordinator');
		let q = this.db.selectFrom('groups as g').select(['g.id', 'g.slug', 'g.name']).orderBy('g.name');
		if (!coordinator) q = q.where('g.id', 'in', (s) => s.selectFrom('group_members').select('group_id').where('user_id', '=', auth.actor.id).where('role', '=', 'facilitator'));
		const groups = await q.execute();
		if (!coordinator && !groups.length) throw new DomainError('forbidden');
		return { network: coordinator, groups };
	}

	/** Whether this person may call votes at all (a coordinator, or a facilitator of some group): one cheap check. */
	async mayCallVotes(auth: Authenticated | null): Promise<boolean> {
		if (!auth || !isActiveMember(auth.actor)) return false;
		return hasRole(auth.actor, 'coordinator') || facilitatesAnyGroup(this.db, auth.actor.id);
	}

	/**
	 * Creates a vote (scheduled, or opened at once) on a thread, a draft version or an amendment. `unread` are the
	 * fields a form could not even read (told together with the vote's own problems, once the person is authorised).
	 */
	async create(auth: Authenticated | null, input: VoteInput, subject: SubjectInput = {}, openNow = false, unread: Record<string, string> = {}): Promise<number> {
		if (!auth || !isActiveMember(auth.actor)) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		const facilitates = input.groupId !== null && (await groupRole(this.db, input.groupId, auth.actor.id)) === 'facilitator';
		if (!canManageVote(auth.actor, { visibility: input.visibility, eligibility: input.eligibility, groupId: input.groupId, facilitates })) throw new DomainError('forbidden');
		const now = this.clock();
		const problems = { ...voteInputProblems(input, now), ...unread };
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'vote has problems', problems);
		const links = await this.#links(auth, subject);
		const id = await repo.insertVote(this.db, {
			...this.#row(input),
			...links,
			opens_at: openNow ? null : input.opensAt,
			created_by: auth.actor.id,
			created_at: now
		});
		if (openNow || (input.opensAt !== null && input.opensAt <= now)) await this.#open(id, auth.actor.id);
		return id;
	}

	/** The columns of a vote from its input. */
	#row(input: VoteInput) {
		const choices = ['single', 'approval', 'ranked', 'score'].includes(input.method);
		const options = choices ? input.options.map((o) => o.trim()).filter(Boolean).map((label, i) => ({ id: i + 1, label })) : [];
		return {
			title: input.title.trim(),
			description: input.description.trim(),
			method: input.method,
			options: JSON.stringify(options),
			min_approvals: input.method === 'approval' ? (input.minApprovals ?? 1) : null,
			max_approvals: input.method === 'approval' ? (input.maxApprovals ?? options.length) : null,
			eligibility: input.eligibility,
			group_id: input.groupId,
			visibility: input.visibility,
			secret: input.secret ? 1 : 0,
			results: input.results,
			quorum_kind: input.quorum.kind,
			quorum_value: input.quorum.kind === 'count' ? input.quorum.count : input.quorum.kind === 'share' ? input.quorum.share : 0,
			threshold: input.threshold,
			opens_at: input.opensAt,
			closes_at: input.closesAt
		};
	}

	/**
	 * A vote held in a meeting on one of its agenda items, opened at once: those checked in (and eligible by the
	 * meeting's body) are its electorate. The meetings service has authorised the chair.
	 */
	async createInMeeting(
		auth: Authenticated,
		input: VoteInput,
		meeting: { id: number; itemId: number; groupId: number | null; visibility: 'public' | 'members' },
		subject: SubjectInput = {},
		unread: Record<string, string> = {}
	): Promise<number> {
		const body = { ...input, eligibility: meeting.groupId === null ? ('members' as const) : ('group' as const), groupId: meeting.groupId, visibility: meeting.visibility, opensAt: null, closesAt: null };
		const problems = { ...voteInputProblems(body, this.clock()), ...unread };
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'vote has problems', problems);
		const links = await this.#links(auth, subject);
		const id = await repo.insertVote(this.db, { ...this.#row(body), ...links, created_by: auth.actor.id, created_at: this.clock(), meeting_id: meeting.id, agenda_item_id: meeting.itemId });
		await this.#open(id, auth.actor.id);
		return id;
	}

	/** Closes a meeting's vote for its chair (authorised by the meetings service). */
	closeInMeeting(voteId: number, actorId: number): Promise<VoteResult> {
		return this.#close(voteId, actorId);
	}

	async #links(auth: Authenticated, s: SubjectInput): Promise<{ thread_id: number | null; draft_version_id: number | null; amendment_id: number | null }> {
		const none = { thread_id: null, draft_version_id: null, amendment_id: null };
		if (s.amendmentId) {
			const a = await repo.amendmentFor(this.db, s.amendmentId);
			if (!a) throw new DomainError('invalid_input', 'amendment', { subject: 'not_found' });
			await this.drafts.get(auth, a.draft_id);
			if (a.status !== 'proposed') throw new DomainError('conflict', 'amendment already decided');
			return { ...none, amendment_id: a.id };
		}
		if (s.draftId) {
			const ver = await repo.versionFor(this.db, { draftId: s.draftId, number: s.versionNumber ?? 0 });
			if (!ver) throw new DomainError('invalid_input', 'version', { subject: 'not_found' });
			await this.drafts.get(auth, s.draftId);
			return { ...none, draft_version_id: ver.id };
		}
		if (s.threadId) {
			await this.forum.assertCanWatch(auth, s.threadId);
			return { ...none, thread_id: s.threadId };
		}
		return none;
	}

	async #manageable(auth: Authenticated | null, id: number): Promise<Vote> {
		const { vote, facts } = await this.#readable(auth, id);
		if (!canManageVote(auth?.actor ?? null, facts)) throw new DomainError('forbidden');
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
			const units = await repo.currentElectorate(trx, v.eligibility, v.group_id, v.meeting_id);
			if (!(await repo.openVote(trx, id, units, this.clock()))) return false;
			await insertAudit(trx, { actor_id: actorId, action: 'vote.opened', subject_type: 'vote', subject_id: String(id), data: { eligible: units.length }, created_at: this.clock() });
			return true;
		});
		if (opened) this.bus.emit('vote.opened', { voteId: id });
		return opened;
	}

	/** Cancels a vote that has not opened yet. */
	async cancel(auth: Authenticated | null, id: number): Promise<void> {
		const vote = await this.#manageable(auth, id);
		if (!(await repo.setVoteStatus(this.db, vote.id, 'scheduled', 'cancelled', this.clock()))) throw new DomainError('conflict', 'vote_not_scheduled');
		this.bus.emit('vote.opened', { voteId: id });
	}

	/** Closes an open vote by hand and returns its result; closing a closed vote returns the result it closed with. */
	async close(auth: Authenticated | null, id: number): Promise<VoteResult> {
		const vote = await this.#manageable(auth, id);
		return this.#close(vote.id, auth!.actor.id);
	}

	async #close(id: number, actorId: number | null): Promise<VoteResult> {
		const r = await this.#loadRules(id);
		if (!r) throw new DomainError('not_found');
		const { result } = await this.#enqueue('close', id, r.secret, () => {
			const v = this.#box.closingVote(id);
			if (!v) throw new DomainError('not_found');
			if (v.status === 'closed' && v.result) return { result: JSON.parse(v.result) as VoteResult, newly: false };
			if (v.status !== 'open') throw new DomainError('conflict', 'vote_not_open');
			const result = tally(r.rules, this.#box.choices(id).map((c) => JSON.parse(c) as Ballot), v.eligible_count);
			this.#box.close(v, { json: JSON.stringify(result), outcome: result.outcome, participants: result.participants }, actorId, this.clock());
			return { result, newly: true };
		});
		return result;
	}

	/** Opens and closes what the schedule says is due (called by a timer). */
	async tick(): Promise<void> {
		const { toOpen, toClose } = await repo.dueVotes(this.db, this.clock());
		for (const id of toOpen) await this.#open(id, null);
		for (const id of toClose) await this.#close(id, null).catch(() => undefined);
	}

	// ——— casting ———

	async #loadRules(id: number) {
		let r = this.#rules.get(id);
		if (!r) {
			const v = await repo.findVote(this.db, id);
			if (!v) return null;
			r = { rules: this.#rulesOf(v), secret: !!v.secret, eligibility: v.eligibility, results: v.results };
			this.#rules.set(id, r);
		}
		return r;
	}

	/** Whether casting a ballot lets the voter see the live results (results shown "after voting", not secret). */
	revealsOnVoting(id: number): boolean {
		const r = this.#rules.get(id);
		return !!r && !r.secret && r.results === 'after_voting';
	}

	/**
	 * Casts (or, with `replace`, changes) a ballot. A repeated cast is refused "already_voted", however it arrives;
	 * the guard is the participation table's primary key, checked in the same transaction as the write.
	 */
	async cast(auth: Authenticated | null, id: number, req: CastRequest): Promise<CastOutcome> {
		if (!auth) throw new DomainError('unauthenticated');
		const r = Number.isSafeInteger(id) && id > 0 ? await this.#loadRules(id) : null;
		if (!r) throw new DomainError('not_found');
		const parsed = ballotSchema.safeParse(req.ballot);
		if (!parsed.success) throw new DomainError('invalid_input', 'ballot', { ballot: 'invalid_choice' });
		const ballot = parsed.data as Ballot;
		const problem = ballotProblem(r.rules, ballot);
		if (problem) throw new DomainError('invalid_input', 'ballot', { ballot: problem });
		const unit = await this.#unitOf(auth, r, req.organisationId);
		if (!unit) throw new DomainError('forbidden', 'not_eligible', { ballot: 'not_eligible' });
		const replace = !!req.replace;
		if (replace && r.secret && !/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(req.receipt ?? '')) throw new DomainError('invalid_input', 'receipt', { receipt: 'required' });
		const receipt = replace && r.secret ? req.receipt! : newReceipt();
		const entry: repo.CastEntry = { voteId: id, userId: auth.actor.id, unit: unit.unit, choice: JSON.stringify(ballot), receipt, replace };
		return this.#enqueue<CastOutcome>('cast', id, r.secret, () => {
			const refusal = this.#box.cast(entry);
			if (refusal) throw new DomainError(REFUSALS[refusal][0], REFUSALS[refusal][1], { ballot: REFUSALS[refusal][1] });
			// A changed open ballot keeps its first receipt; the voter sees it on the page.
			return { receipt: replace && !r.secret ? '' : receipt, changed: replace };
		});
	}

	#enqueue<T>(kind: Job['kind'], voteId: number, secret: boolean, run: () => T): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			this.#queue.push({ kind, voteId, secret, run, resolve: resolve as (v: unknown) => void, reject });
			if (!this.#flushing) {
				this.#flushing = true;
				setImmediate(() => void this.#flush());
			}
		});
	}

	/**
	 * Writes everything queued in one transaction, holding Kysely's connection so no other transaction interleaves,
	 * then answers each job and announces what changed. Runs until the queue is empty.
	 */
	async #flush(): Promise<void> {
		while (this.#queue.length) {
			const jobs = this.#queue.splice(0);
			const outcomes: { ok: boolean; value: unknown }[] = [];
			try {
				await this.db.connection().execute(async () => {
					this.#box.transaction(() => {
						for (const job of jobs) {
							try {
								outcomes.push({ ok: true, value: job.run() });
							} catch (error) {
								outcomes.push({ ok: false, value: error });
							}
						}
					});
					if (jobs.some((j) => j.secret)) this.#box.raw.pragma('wal_checkpoint(TRUNCATE)');
				});
			} catch (error) {
				for (const job of jobs) job.reject(error);
				continue;
			}
			const cast = new Set<number>();
			const closed = new Set<number>();
			jobs.forEach((job, i) => {
				const o = outcomes[i];
				if (o.ok) {
					if (job.kind === 'cast') cast.add(job.voteId);
					else if ((o.value as { newly: boolean }).newly) closed.add(job.voteId);
					job.resolve(o.value);
				} else job.reject(o.value);
			});
			for (const voteId of cast) if (!closed.has(voteId)) this.bus.emit('vote.cast', { voteId });
			for (const voteId of closed) await this.#afterClose(voteId);
		}
		this.#flushing = false;
	}

	/** Once per vote, right after the transaction that closed it: announce, and apply an adopted amendment. */
	async #afterClose(voteId: number): Promise<void> {
		this.bus.emit('vote.closed', { voteId });
		const v = await repo.findVote(this.db, voteId);
		if (v && v.amendment_id !== null && v.result) {
			const passed = (JSON.parse(v.result) as VoteResult).outcome === 'passed';
			await this.drafts.decideAmendment(v.amendment_id, passed).catch(() => undefined);
		}
	}

	// ——— the register ———

	async decisions(auth: Authenticated | null, filter: { group?: string; meeting?: number; from?: number; to?: number } = {}): Promise<{ decisions: DecisionView[]; groups: { slug: string; name: string }[]; meetings: { id: number; title: string; startsAt: number }[] }> {
		const member = isActiveMember(auth?.actor ?? null);
		const [groups, meetings] = await Promise.all([repo.groupsWithDecisions(this.db), repo.meetingsWithDecisions(this.db, member)]);
		const groupId = filter.group ? (groups.find((g) => g.slug === filter.group)?.id ?? -1) : undefined;
		const rows = await repo.listDecisions(this.db, { member, groupId, meetingId: filter.meeting, from: filter.from, to: filter.to, limit: 200 });
		// A decision may be public while the draft it was about is not: its title and hash only for those who may read it.
		const draftIds = [...new Set(rows.flatMap((r) => (r.draft_id !== null ? [r.draft_id] : [])))];
		const readable = new Set((await Promise.all(draftIds.map((id) => this.drafts.get(auth, id).then(() => id, () => null)))).filter((id) => id !== null));
		return {
			groups: groups.map((g) => ({ slug: g.slug, name: g.name })),
			meetings: meetings.map((mt) => ({ id: mt.id, title: mt.title, startsAt: mt.starts_at })),
			decisions: rows.map((r) => ({
				id: r.id,
				voteId: r.vote_id,
				title: r.title,
				outcome: r.outcome as VoteResult['outcome'],
				result: JSON.parse(r.result ?? '{}') as VoteResult,
				options: JSON.parse(r.options) as VoteOption[],
				group: r.group_slug && r.group_name ? { slug: r.group_slug, name: r.group_name } : null,
				visibility: r.visibility,
				threadId: r.thread_id,
				draft: r.draft_id !== null && r.draft_title !== null && readable.has(r.draft_id) ? { id: r.draft_id, title: r.draft_title, number: r.version_number, hash: r.version_hash } : null,
				amendmentId: r.amendment_id,
				meeting: r.meeting_id !== null && r.meeting_title !== null ? { id: r.meeting_id, title: r.meeting_title } : null,
				decidedAt: r.decided_at
			}))
		};
	}
}
