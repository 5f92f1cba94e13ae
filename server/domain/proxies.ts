/**
 * Proxies, pure: a member who cannot attend gives their vote to another member of the same body, for one meeting or
 * one vote. The rules, in the order they are checked:
 * - a proxy is given while it can still change something: before its vote opens, or before its meeting ends;
 * - to someone else, both active members of the vote's or meeting's body (a vote of one ballot per organisation
 *   takes no proxies: an organisation already votes through any of its representatives);
 * - no chains: a member who holds a proxy cannot give one, and a member who gave one cannot hold one;
 * - one proxy per giver per meeting or vote (revoke it to give it to someone else);
 * - a holder holds at most the network's cap (2 unless coordinators say otherwise).
 * At a vote's opening the proxies are frozen: in a meeting, a giver who checked in after all votes themselves and the
 * proxy lapses, as it does when the holder is not checked in; the giver's own ballot always wins (cast first, the
 * holder's is refused).
 */

export const DEFAULT_PROXY_CAP = 2;
export const MAX_PROXY_CAP = 20;

export type ProxyProblem =
	| 'proxy_self'
	| 'proxy_closed'
	| 'proxy_not_for_organisations'
	| 'proxy_giver_not_eligible'
	| 'proxy_holder_not_eligible'
	| 'proxy_chain_giver_holds'
	| 'proxy_chain_holder_gave'
	| 'proxy_already_given'
	| 'proxy_cap_reached';

/** What giving a proxy is checked against, read in the transaction that writes it. */
export interface ProxyFacts {
	giverId: number;
	holderId: number;
	/** The vote has not opened (a vote proxy) or the meeting has not ended (a meeting proxy). */
	open: boolean;
	/** A vote of one ballot per organisation. */
	organisations: boolean;
	giverEligible: boolean;
	holderEligible: boolean;
	/** Proxies the giver holds in this scope. */
	giverHolds: number;
	/** Whether the holder gave a proxy in this scope. */
	holderGave: boolean;
	/** Whether the giver already gave one in this scope. */
	alreadyGiven: boolean;
	/** Proxies the holder holds in this scope already. */
	holderHolds: number;
	cap: number;
}

/** Why this proxy cannot be given, or null. */
export function proxyProblem(f: ProxyFacts): ProxyProblem | null {
	if (f.giverId === f.holderId) return 'proxy_self';
	if (!f.open) return 'proxy_closed';
	if (f.organisations) return 'proxy_not_for_organisations';
	if (!f.giverEligible) return 'proxy_giver_not_eligible';
	if (!f.holderEligible) return 'proxy_holder_not_eligible';
	if (f.giverHolds > 0) return 'proxy_chain_giver_holds';
	if (f.holderGave) return 'proxy_chain_holder_gave';
	if (f.alreadyGiven) return 'proxy_already_given';
	if (f.holderHolds >= f.cap) return 'proxy_cap_reached';
	return null;
}

/** A cap as coordinators may set it: a whole number from 0 (no proxies) to MAX_PROXY_CAP. */
export const validProxyCap = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_PROXY_CAP;

/**
 * The proxies a vote takes at its opening, from those given for it or its meeting: the holder must be in the
 * electorate; the giver must not be (in a meeting: not checked in — present, they vote themselves) unless the vote is
 * not in a meeting, where the giver's unit is in the electorate anyway. Returns the givers' units to add to the
 * electorate and the frozen proxies.
 */
export function proxiesAtOpening(
	electorate: Set<string>,
	given: { giverId: number; holderId: number; giverEligible: boolean }[],
	inMeeting: boolean
): { add: string[]; frozen: { giverUnit: string; holderId: number }[] } {
	const add: string[] = [];
	const frozen: { giverUnit: string; holderId: number }[] = [];
	for (const p of given) {
		const giver = `u:${p.giverId}`;
		if (!electorate.has(`u:${p.holderId}`) || !p.giverEligible) continue;
		if (inMeeting) {
			if (electorate.has(giver)) continue;
			add.push(giver);
		} else if (!electorate.has(giver)) continue;
		frozen.push({ giverUnit: giver, holderId: p.holderId });
	}
	return { add, frozen };
}
