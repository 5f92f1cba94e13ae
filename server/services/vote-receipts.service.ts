import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { newReceipt, RECEIPT_PATTERN, type PublishedBallot } from '../../src/lib/shared/votes.js';
import type { Authenticated } from './auth.service.js';
import type { VoteViews } from './vote-views.service.js';

/**
 * Receipts: each ballot's random key, given to the voter when they cast it and published with every ballot after
 * closing, so each voter can find their own and anyone can recount. On secret votes it is the only name a ballot has.
 */
export class VoteReceipts {
	constructor(
		private readonly db: Db,
		private readonly views: VoteViews
	) {}

	/**
	 * The receipt a cast is written under: a fresh one for a first ballot (and an open vote's change, where the ballot
	 * is found by its voter); on a secret vote, a change names the ballot by the receipt its voter holds.
	 */
	forCast(secret: boolean, replace: boolean, held: string | undefined): string {
		if (!(replace && secret)) return newReceipt();
		if (!RECEIPT_PATTERN.test(held ?? '')) throw new DomainError('invalid_input', 'receipt', { receipt: 'required' });
		return held!;
	}

	/** After closing: every receipt with its ballot (and, for open votes, who cast it), in receipt order. */
	async published(auth: Authenticated | null, id: number): Promise<PublishedBallot[]> {
		const v = await this.views.readable(auth, id);
		if (v.status !== 'closed') return [];
		const ballots = await repo.ballotsOf(this.db, v.id);
		const named = !v.secret && isActiveMember(auth?.actor ?? null);
		const names = named ? await repo.unitNames(this.db, ballots.flatMap((b) => (b.unit ? [b.unit] : []))) : new Map<string, string>();
		return ballots.map((b) => ({ receipt: b.receipt, ballot: b.ballot, voter: named && b.unit ? (names.get(b.unit) ?? null) : null }));
	}
}
