import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import * as elections from '../db/repositories/election.repository.js';
import { canSeeVote, type Vote } from '../domain/votes.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { statementProblem, type ElectionView } from '../../src/lib/shared/elections.js';
import type { Authenticated } from './auth.service.js';

/**
 * Elections' candidacy period: members who may vote in an election stand with a statement (or withdraw) until it
 * opens; at opening (VotesService) the candidates become the ballot's options. Calling an election, casting and the
 * STV count go through VotesService like every vote.
 */
export class ElectionsService {
	constructor(
		private readonly db: Db,
		private readonly clock: () => number = Date.now
	) {}

	/** An election this person may see; not found otherwise (a vote without seats is not an election). */
	async #election(auth: Authenticated | null, voteId: number): Promise<Vote> {
		const vote = Number.isSafeInteger(voteId) && voteId > 0 ? await repo.findVote(this.db, voteId) : undefined;
		if (!vote || vote.seats === null || !canSeeVote(auth?.actor ?? null, vote)) throw new DomainError(auth ? 'not_found' : 'unauthenticated');
		return vote;
	}

	/** Candidates may stand until the vote opens (its scheduled opening is the candidacy deadline). */
	#candidacyOpen(v: Vote): boolean {
		return v.status === 'scheduled' && (v.opensAt === null || this.clock() < v.opensAt);
	}

	/** Whether this person may stand: an active member who will be in the electorate (the group's, for a group's). */
	async #mayStand(auth: Authenticated | null, v: Vote): Promise<boolean> {
		if (!auth || !isActiveMember(auth.actor)) return false;
		if (v.eligibility === 'group') return v.groupId !== null && elections.isGroupMember(this.db, v.groupId, auth.actor.id);
		return v.eligibility === 'members';
	}

	/** The election part of a vote's page, or null for a vote that is not an election. */
	async view(auth: Authenticated | null, voteId: number): Promise<ElectionView | null> {
		const vote = await repo.findVote(this.db, voteId);
		if (!vote || vote.seats === null) return null;
		await this.#election(auth, voteId);
		const candidates = await elections.candidatesOf(this.db, voteId);
		const open = this.#candidacyOpen(vote);
		return {
			seats: vote.seats,
			candidacy: { open, closesAt: vote.status === 'scheduled' ? vote.opensAt : null },
			candidates,
			me: { standing: !!auth && candidates.some((c) => c.userId === auth.actor.id), mayStand: open && (await this.#mayStand(auth, vote)) }
		};
	}

	/** Stands in an election with a statement. */
	async stand(auth: Authenticated | null, voteId: number, statement: string): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		const vote = await this.#election(auth, voteId);
		if (!(await this.#mayStand(auth, vote))) throw new DomainError('forbidden', 'not_eligible', { statement: 'not_eligible' });
		if (!this.#candidacyOpen(vote)) throw new DomainError('conflict', 'candidacy_closed', { statement: 'candidacy_closed' });
		const text = typeof statement === 'string' ? statement : '';
		const problem = statementProblem(text);
		if (problem) throw new DomainError('invalid_input', 'statement', { statement: problem });
		const filed = await this.db.transaction().execute(async (trx) => {
			// Read again in the writing transaction: an opening that began meanwhile has fixed the candidates.
			const v = await repo.findVote(trx, voteId);
			if (!v || !this.#candidacyOpen(v)) throw new DomainError('conflict', 'candidacy_closed', { statement: 'candidacy_closed' });
			return elections.insertCandidate(trx, { voteId, userId: auth.actor.id, statement: text.trim(), now: this.clock() });
		});
		if (!filed) throw new DomainError('conflict', 'already_standing', { statement: 'already_standing' });
	}

	/** Withdraws one's own candidacy while the candidacy period lasts. */
	async withdraw(auth: Authenticated | null, voteId: number): Promise<void> {
		if (!auth) throw new DomainError('unauthenticated');
		const vote = await this.#election(auth, voteId);
		if (!this.#candidacyOpen(vote)) throw new DomainError('conflict', 'candidacy_closed', { statement: 'candidacy_closed' });
		if (!(await elections.deleteCandidate(this.db, voteId, auth.actor.id))) throw new DomainError('conflict', 'not_standing', { statement: 'not_standing' });
	}
}
