import type { VoteTally } from '$lib/shared/votes';

/**
 * A vote's live figures as this page shows them: the page's own data, then every tally the socket brings. Once the
 * final figures have arrived, a late tally from before the close is ignored.
 */
export class VoteLive {
	tally = $state<VoteTally>() as VoteTally;

	constructor(initial: VoteTally) {
		this.tally = initial;
	}

	get final(): boolean {
		return this.tally.status === 'closed';
	}

	/** Takes newer figures for this vote; false when they were stale or for another vote. */
	apply(next: VoteTally): boolean {
		if (next.voteId !== this.tally.voteId) return false;
		if (this.final && next.status !== 'closed') return false;
		this.tally = next;
		return true;
	}

	/** The page reloaded its data: its figures are as new as any, unless they predate a close already seen. */
	reset(fromPage: VoteTally): void {
		if (fromPage.voteId !== this.tally.voteId || !this.final || fromPage.status === 'closed') this.tally = fromPage;
	}
}
