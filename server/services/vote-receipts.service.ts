import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/vote.repository.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { DEVICE_TOKEN_PATTERN, newReceipt, RECEIPT_PATTERN, type Ballot, type CastRequest, type PublishedBallot } from '../../src/lib/shared/votes.js';
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
	 * What a cast is written under: its receipt — a fresh one for a first ballot (and an open vote's change, where the
	 * ballot is found by its voter); on a secret vote, a change names the ballot by the receipt its voter holds — and
	 * the hashes of the tokens the voter's device made (DEVICE_TOKEN_PATTERN): the cast id, and the change key that a
	 * secret ballot is set with and changed by. A secret change without a receipt and a key is refused as one from
	 * another device: the receipt alone, which others may have seen, changes nothing.
	 *
	 * Why a cast id's hash may stand beside a secret ballot and bring back its receipt: the id is random, made by the
	 * device and never shown, logged or published, so its hash links the ballot to nobody (like the receipt, the
	 * ballot's key); and whoever holds the id is the device that already holds the receipt. The hash is SHA-256 without
	 * a salt: the page makes both tokens from 256 random bits (the pattern asks for 32 characters at least), nothing to guess.
	 */
	keysFor(secret: boolean, req: Pick<CastRequest, 'replace' | 'receipt' | 'castId' | 'changeKey'>): { receipt: string; castHash: string | null; changeHash: string | null } {
		for (const field of ['castId', 'changeKey'] as const) {
			const token = req[field];
			if (token !== undefined && (typeof token !== 'string' || !DEVICE_TOKEN_PATTERN.test(token))) throw new DomainError('invalid_input', field, { [field]: 'invalid' });
		}
		const keys = { castHash: req.castId ? sha256(req.castId) : null, changeHash: secret && req.changeKey ? sha256(req.changeKey) : null };
		if (!(req.replace && secret)) return { receipt: newReceipt(), ...keys };
		if (!RECEIPT_PATTERN.test(req.receipt ?? '') || !keys.changeHash) throw new DomainError('forbidden', 'not_this_device', { ballot: 'not_this_device' });
		return { receipt: req.receipt!, ...keys };
	}

	/** After closing: every receipt with its ballot (and, for open votes, who cast it), in receipt order. */
	async published(auth: Authenticated | null, id: number): Promise<PublishedBallot[]> {
		const v = await this.views.readable(auth, id);
		if (v.status !== 'closed') return [];
		const ballots = await repo.ballotsOf(this.db, v.id);
		const named = !v.secret && isActiveMember(auth?.actor ?? null);
		const names = named ? await repo.unitNames(this.db, ballots.flatMap((b) => (b.unit ? [b.unit] : []))) : new Map<string, string>();
		// A consent ballot is published as its choice alone: its reason (told to the meeting that takes the objection
		// up, see AgendaProposals) beside a receipt could name a secret voter, and counts for nothing in the result.
		const published = (ballot: Ballot): Ballot => (ballot.method === 'consent' ? { method: 'consent', choice: ballot.choice } : ballot);
		return ballots.map((b) => ({ receipt: b.receipt, ballot: published(b.ballot), voter: named && b.unit ? (names.get(b.unit) ?? null) : null, chamber: b.chamber }));
	}
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
