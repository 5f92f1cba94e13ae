import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import type { BallotBox } from '../db/repositories/ballot-box.repository.js';
import { canSeeVote, quorumValue, resultsShown, rulesOf, type Vote } from '../domain/votes.js';
import { countVote } from '../../src/lib/shared/count.js';
import { heldIn } from '../db/repositories/proxy.repository.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { organisationUnit, unitParts, userUnit, type VoterSeat, type VoteSubject, type VoteSummary, type VoteTally, type VoteView } from '../../src/lib/shared/votes.js';
import type { SubjectInput } from '../../src/lib/shared/vote-input.js';
import type { VersionLanguages } from '../../src/lib/shared/translations.js';
import type { Abilities } from './abilities.service.js';
import type { Authenticated } from './auth.service.js';
import type { DraftsService } from './drafts.service.js';
import type { ForumService } from './forum.service.js';
import { toHtmlFragment } from '../render/html.renderer.js';
import type { PmNode } from '../render/prosemirror-json.js';

/** Which votes a list holds, and how many of them. */
export interface VoteListing {
	/** Closed (and cancelled) votes rather than scheduled and open ones. */
	closed?: boolean;
	threadId?: number;
	/** The votes after this one (its id) in the list's order: the API's next page. */
	after?: number;
	/** At most this many (200 when not said). */
	limit?: number;
}

/** The unit a person votes as, and the organisation when they vote for one. */
export interface VoterUnit {
	unit: string;
	organisation: { id: number; name: string } | null;
}

/**
 * Votes as each reader may see them: lists, one vote with the reader's part in it, what it hangs on, and the live
 * figures for watchers and the broadcaster.
 */
export class VoteViews {
	constructor(
		private readonly db: Db,
		private readonly box: BallotBox,
		private readonly abilities: Abilities,
		private readonly forum: ForumService,
		private readonly drafts: DraftsService
	) {}

	/** A vote this person may see; not found (or unauthenticated, for a visitor) otherwise. */
	async readable(auth: Authenticated | null, id: number): Promise<Vote> {
		const vote = Number.isSafeInteger(id) && id > 0 ? await repo.findVote(this.db, id) : undefined;
		if (!vote || !canSeeVote(auth?.actor ?? null, vote)) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return vote;
	}

	/**
	 * The unit this person votes as, or null when they are not an active member (or represent no organisation). On a
	 * vote of two chambers: as themselves (members' chamber), or, naming an organisation they represent, for it.
	 */
	async unitOf(auth: Authenticated | null, v: Pick<Vote, 'eligibility' | 'chambers'>, organisationId?: number): Promise<VoterUnit | null> {
		if (!auth || !isActiveMember(auth.actor)) return null;
		if (v.eligibility !== 'organisations' && !(v.chambers && organisationId)) return { unit: userUnit(auth.actor.id), organisation: null };
		const orgs = await repo.representedBy(this.db, auth.actor.id);
		const org = organisationId ? orgs.find((o) => o.id === organisationId) : orgs[0];
		return org ? { unit: organisationUnit(org.id), organisation: org } : null;
	}

	summary(v: Vote): VoteSummary {
		return {
			id: v.id,
			title: v.title,
			method: v.method,
			status: v.status,
			secret: v.secret,
			eligibility: v.eligibility,
			group: v.group,
			opensAt: v.opensAt,
			closesAt: v.closesAt,
			participants: v.participants,
			eligible: v.eligible,
			outcome: v.result?.outcome ?? null
		};
	}

	/**
	 * The votes this person may see, newest first, read only as far as asked: the votes page reads up to 200, the API
	 * a page after a vote's id. Who sees what is decided in the query (visitors: public votes), as canSeeVote decides
	 * it for one vote.
	 */
	async list(auth: Authenticated | null, opts: VoteListing = {}): Promise<VoteSummary[]> {
		const votes = await repo.listVotes(this.db, { member: isActiveMember(auth?.actor ?? null), closed: !!opts.closed, threadId: opts.threadId, after: opts.after, limit: opts.limit });
		return votes.map((v) => this.summary(v));
	}

	/** Figures as this person may see them now. */
	async #tallyFor(v: Vote, voted: boolean): Promise<VoteTally> {
		const closed = v.status === 'closed';
		const shown = resultsShown({ visibility: v.results, secret: v.secret, closed }, voted);
		let result = closed ? v.result : null;
		const chambers = v.chambers ? await repo.chamberFigures(this.db, v.id) : null;
		if (shown === 'full' && v.status === 'open') {
			const eligible = { total: v.eligible, organisations: chambers?.organisations.eligible ?? 0, members: chambers?.members.eligible ?? v.eligible };
			result = countVote(rulesOf(v), v.chambers, await this.box.ballots(v.id), eligible);
		}
		return { voteId: v.id, status: v.status, participants: v.participants, eligible: v.eligible, result, chambers };
	}

	/** This person's part as one voter (a unit of the vote). */
	async #seat(v: Vote, unit: VoterUnit | null): Promise<VoterSeat> {
		const standing = unit ? await repo.electorStanding(this.db, v.id, unit.unit) : { eligible: false, voted: false };
		const eligible = !!unit && (v.status === 'open' ? standing.eligible : v.status === 'scheduled');
		const own = unit && standing.voted && !v.secret ? await repo.ballotOfUnit(this.db, v.id, unit.unit) : undefined;
		return { eligible, voted: standing.voted, ballot: own?.ballot ?? null, receipt: own?.receipt ?? null, organisation: unit?.organisation ?? null };
	}

	/** The seats of the members whose proxy this person holds in the vote. */
	async #proxySeats(auth: Authenticated | null, v: Vote): Promise<VoterSeat[]> {
		if (!auth || !isActiveMember(auth.actor) || v.status === 'scheduled') return [];
		const held = await heldIn(this.db, v.id, auth.actor.id);
		const names = await repo.unitNames(this.db, held.map((h) => h.giver_unit));
		return Promise.all(
			held.map(async (h) => ({ ...(await this.#seat(v, { unit: h.giver_unit, organisation: null })), giver: { id: unitParts(h.giver_unit)!.id, name: names.get(h.giver_unit) ?? '' } }))
		);
	}

	/** Two chambers: the rules of the organisations' chamber and this person's seats there, one per organisation they represent. */
	async #chambers(auth: Authenticated | null, v: Vote): Promise<VoteView['chambers']> {
		if (!v.chambers) return null;
		const orgs = auth && isActiveMember(auth.actor) ? await repo.representedBy(this.db, auth.actor.id) : [];
		const seats = await Promise.all(orgs.map((o) => this.#seat(v, { unit: organisationUnit(o.id), organisation: o })));
		const { quorum, threshold } = v.chambers.organisations;
		return { organisations: { quorum: { kind: quorum.kind, value: quorumValue(quorum) }, threshold }, seats };
	}

	async get(auth: Authenticated | null, id: number): Promise<VoteView> {
		const v = await this.readable(auth, id);
		const me = await this.#seat(v, await this.unitOf(auth, v));
		const decision = v.status === 'closed' ? await repo.decisionOfVote(this.db, v.id) : undefined;
		const { subject, versionHtml, versionLanguages } = await this.#subject(auth, v);
		return {
			...this.summary(v),
			description: v.description,
			options: v.options,
			minApprovals: v.minApprovals,
			maxApprovals: v.maxApprovals,
			visibility: v.visibility,
			results: v.results,
			quorum: { kind: v.quorum.kind, value: quorumValue(v.quorum) },
			threshold: v.threshold,
			subject,
			versionHtml,
			versionLanguages: versionLanguages ?? null,
			openedAt: v.openedAt,
			closedAt: v.closedAt,
			tally: await this.#tallyFor(v, me.voted),
			me,
			chambers: await this.#chambers(auth, v),
			proxySeats: await this.#proxySeats(auth, v),
			seats: v.seats,
			can: { manage: await this.abilities.mayCall(auth, v.groupId) },
			decisionId: decision?.id ?? null
		};
	}

	/** What the vote hangs on, shown only as far as this reader may read it. */
	async #subject(auth: Authenticated | null, v: Vote): Promise<{ subject: VoteSubject; versionHtml: string | null; versionLanguages?: VersionLanguages | null }> {
		if (v.threadId !== null) {
			const t = await repo.threadTitle(this.db, v.threadId);
			if (t && (await this.forum.mayRead(auth, t.id))) return { subject: { kind: 'thread', threadId: t.id, title: t.title }, versionHtml: null };
		}
		if (v.amendmentId !== null) {
			const a = await repo.amendmentFor(this.db, v.amendmentId);
			if (a && (await this.drafts.mayRead(auth, a.draft_id)))
				return { subject: { kind: 'amendment', draftId: a.draft_id, draftTitle: a.draft_title, amendmentId: a.id, original: a.original, replacement: a.replacement }, versionHtml: null };
		}
		if (v.draftVersionId !== null) {
			const ver = await repo.versionFor(this.db, { id: v.draftVersionId });
			if (ver && (await this.drafts.mayRead(auth, ver.draft_id)))
				return {
					subject: { kind: 'version', draftId: ver.draft_id, draftTitle: ver.draft_title, number: ver.number, name: ver.name, hash: ver.hash },
					versionHtml: toHtmlFragment(JSON.parse(ver.content) as PmNode),
					versionLanguages: await this.drafts.versionLanguages(ver.draft_id, ver.id)
				};
		}
		return { subject: null, versionHtml: null };
	}

	/** The title of what a new vote would hang on, when this person may read it ('' otherwise), for the new-vote form. */
	async subjectTitle(auth: Authenticated | null, s: SubjectInput): Promise<string> {
		if (s.draftId) return (await this.drafts.mayRead(auth, s.draftId)) ? (await this.drafts.get(auth, s.draftId)).title : '';
		if (s.threadId) {
			const t = await repo.threadTitle(this.db, s.threadId);
			return t && (await this.forum.mayRead(auth, t.id)) ? t.title : '';
		}
		return '';
	}

	/** Live figures for a watcher: which room they belong in (full results or participation only) and the figures. */
	async watch(auth: Authenticated | null, id: number): Promise<{ full: boolean; tally: VoteTally }> {
		const v = await this.readable(auth, id);
		const unit = await this.unitOf(auth, v);
		const voted = !!unit && (await repo.electorStanding(this.db, v.id, unit.unit)).voted;
		const t = await this.#tallyFor(v, voted);
		return { full: t.result !== null || v.status === 'closed', tally: t };
	}

	/** What the broadcaster sends: participation for everyone, and full results for those allowed to see them. */
	async liveTallies(id: number): Promise<{ participation: VoteTally; full: VoteTally | null } | null> {
		const v = await repo.findVote(this.db, id);
		if (!v) return null;
		const chambers = v.chambers ? await repo.chamberFigures(this.db, v.id) : null;
		const participation: VoteTally = { voteId: v.id, status: v.status, participants: v.participants, eligible: v.eligible, result: null, chambers };
		if (v.status === 'closed') {
			const t = await this.#tallyFor(v, true);
			return { participation: t, full: t };
		}
		if (v.secret || v.results === 'after_close') return { participation, full: null };
		return { participation, full: await this.#tallyFor(v, true) };
	}
}
