import { newDeviceToken, type Ballot } from '$lib/shared/votes';

/**
 * A cast as this device sends it, and sends again unchanged until it is answered: the cast id makes a retry get the
 * first answer back (never "already voted" for a ballot whose answer never arrived); a secret ballot's change key is
 * set with its first cast and kept, after the answer, to change it.
 */
export interface DeviceCast {
	ballot: Ballot;
	replace: boolean;
	castId: string;
	changeKey?: string;
	receipt?: string;
	organisationId?: number;
	proxyFor?: number;
}

/**
 * Where this device keeps a vote's receipt, its change key and a cast not answered yet (the vote's page and the live
 * room read the same); a ballot cast for an organisation in a vote of two chambers is kept under its own key.
 */
const key = (what: 'receipt' | 'change-key' | 'cast', slot: number | string) => `kuvend:${what}:${slot}`;

/** What this device keeps for one vote (or one organisation's ballot in it), in localStorage (browser only). */
export class DeviceBallot {
	private readonly slot: number | string;

	constructor(voteId: number, organisationId?: number, proxyFor?: number) {
		this.slot = organisationId ? `${voteId}:o${organisationId}` : proxyFor ? `${voteId}:u${proxyFor}` : voteId;
	}

	get receipt(): string {
		return localStorage.getItem(key('receipt', this.slot)) ?? '';
	}
	set receipt(value: string) {
		localStorage.setItem(key('receipt', this.slot), value);
	}

	/** The change key of the secret ballot this device cast ('' when it cast none here). */
	get changeKey(): string {
		return localStorage.getItem(key('change-key', this.slot)) ?? '';
	}

	/** A cast sent and not answered yet, or null. */
	get pending(): DeviceCast | null {
		try {
			const cast = JSON.parse(localStorage.getItem(key('cast', this.slot)) ?? 'null') as DeviceCast | null;
			return cast && typeof cast.castId === 'string' ? cast : null;
		} catch {
			return null;
		}
	}

	/**
	 * The cast for one press of "vote", kept until it is answered. A first ballot pressed again while an earlier one
	 * has no answer is sent under the earlier cast id (and change key): that one may have been counted, and its voter
	 * then gets its receipt rather than "already voted".
	 */
	prepare(ballot: Ballot, replace: boolean, secret: boolean, organisationId?: number, proxyFor?: number): DeviceCast {
		const earlier = this.pending;
		const again = earlier && !earlier.replace && !replace ? earlier : null;
		const cast: DeviceCast = { ballot, replace, castId: again?.castId ?? newDeviceToken(), organisationId, ...(proxyFor ? { proxyFor } : {}) };
		if (secret && replace) Object.assign(cast, { receipt: this.receipt, changeKey: this.changeKey });
		else if (secret) cast.changeKey = again?.changeKey ?? newDeviceToken();
		localStorage.setItem(key('cast', this.slot), JSON.stringify(cast));
		return cast;
	}

	/** The cast was answered: counted (its receipt, and a first secret ballot's change key, kept) or refused. */
	answered(cast: DeviceCast, receipt: string | null): void {
		localStorage.removeItem(key('cast', this.slot));
		if (receipt) this.receipt = receipt;
		if (receipt && cast.changeKey && !cast.replace) localStorage.setItem(key('change-key', this.slot), cast.changeKey);
	}
}
