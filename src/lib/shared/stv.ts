/**
 * Elections by single transferable vote, counted by the rules of the Scottish Local Government Elections Order 2007
 * (SSI 2007/42, Schedule 1, rules 45–52), pure: the server counts with it at closing and the browser recounts the
 * published ballots with it. No I/O, no clock, no Math.random.
 *
 * Why Scottish STV rather than Meek: every figure is a decimal with five places that a person can check on paper
 * (or in a spreadsheet) stage by stage, the rules are a statute with its own text to point to, and the count is the
 * same to the last digit in every browser because it runs on whole numbers. Meek's iteration to convergence needs
 * more precision, a convergence rule and a computer to follow.
 *
 * What the Order says, as this code does it:
 * - Quota (rule 46): valid ballots ÷ (seats + 1), decimals ignored, plus one.
 * - A candidate whose votes equal or exceed the quota is elected (rule 47).
 * - Surplus (rules 48–49): the largest surplus first; every ballot paper the candidate holds passes to its next
 *   continuing preference at a transfer value = surplus × the paper's value ÷ the candidate's total votes, to five
 *   decimal places with any remainder ignored. Papers with no further continuing preference are non-transferable.
 *   What truncation drops is shown apart ("lost to rounding").
 * - Exclusion (rules 50–51): when no surplus remains to transfer, the candidate with the fewest votes is excluded and
 *   every paper passes on at the value it was received at.
 * - When the continuing candidates are no more than the seats left, they are elected (rule 52).
 * - Ties (rules 49(2), 51(2)): the candidate with more (surplus) / fewer (exclusion) votes at the end of the most
 *   recent preceding stage at which the tied candidates differed; if they were equal at every stage, by lot. The lot
 *   is drawn once, before the count, from a published seed: a shuffle of the candidates (FNV-1a hash of the seed into
 *   a mulberry32 generator, Fisher–Yates). In a tie decided by lot, the candidate drawn first has its surplus
 *   transferred first, or is excluded first. The seed and the draw are part of the result, so anyone can redo it.
 *
 * Values are whole numbers of hundred-thousandths of a vote (UNIT = 1 vote), so every sum is exact.
 */

/** One vote in the count's units: values have five decimal places. */
export const UNIT = 100_000;
/** Ballots and seats a count accepts: bounds that keep every product of the arithmetic exact in a double. */
export const MAX_STV_BALLOTS = 1_000_000;
export const MAX_STV_SEATS = 50;

export interface StvStage {
	/** What the stage did: the first count, a surplus transferred, or a candidate excluded. */
	kind: 'first' | 'surplus' | 'exclusion';
	/** Whose surplus or papers were transferred (null at the first count). */
	from: number | null;
	/** Surplus stages: the transfer value of a first-preference paper (units); exclusions keep each paper's value. */
	transferValue: number | null;
	/** Votes each candidate holds at the end of the stage (units); excluded candidates hold 0. */
	votes: Record<number, number>;
	/** What each candidate received in this stage (units); the transferring candidate has a negative entry. */
	transfers: Record<number, number>;
	/** Non-transferable votes so far: papers with no further continuing preference (units). */
	nonTransferable: number;
	/** Votes lost to truncating transfer values to five decimal places, so far (units). */
	rounding: number;
	/** Elected at the end of this stage with a quota, in order. */
	elected: number[];
	/** Elected after this stage without a quota: the continuing candidates were no more than the seats left (rule 52). */
	remaining: number[];
	/** How a tie for this stage's surplus or exclusion was broken, and between whom. */
	tie: { between: number[]; by: 'earlier_stage' | 'lot' } | null;
}

export interface StvCount {
	method: 'scottish_stv';
	seats: number;
	/** Valid ballots (those ranking at least one candidate). */
	valid: number;
	/** In whole votes. */
	quota: number;
	stages: StvStage[];
	/** Every candidate elected, in the order of election. */
	elected: number[];
	/** The seed and the order it drew, used only when a tie lasted through every stage. */
	lot: { seed: string; order: number[] };
}

/** The quota of rule 46: whole votes. */
export const droopQuota = (valid: number, seats: number) => Math.floor(valid / (seats + 1)) + 1;

/** value × surplus ÷ total, remainder ignored, exactly (in BigInt when the product would pass 2^53). */
function mulDivDown(value: number, surplus: number, total: number): number {
	const product = value * surplus;
	if (Number.isSafeInteger(product)) return Math.floor(product / total);
	return Number((BigInt(value) * BigInt(surplus)) / BigInt(total));
}

/** The published lot: the candidates (ascending) shuffled by a generator seeded from the seed's text. */
export function lotOrder(candidates: number[], seed: string): number[] {
	let h = 0x811c9dc5;
	for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
	let s = h;
	const next = () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const order = [...candidates].sort((a, b) => a - b);
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	return order;
}

/** Formats a value in units as a decimal with five places ("12.45448"), for tests and plain-text records. */
export const unitsText = (units: number) => `${Math.trunc(units / UNIT)}.${String(Math.abs(units % UNIT)).padStart(5, '0')}`;

/**
 * Counts an election. `candidates` are the option ids; `rankings` the ballots, each a list of candidate ids in order
 * of preference (ids not among the candidates and repeats are skipped, so a malformed ballot cannot break a count).
 */
export function scottishStv(candidates: number[], rankings: number[][], seats: number, seed: string): StvCount {
	if (!Number.isInteger(seats) || seats < 1 || seats > MAX_STV_SEATS) throw new RangeError('seats out of range');
	if (rankings.length > MAX_STV_BALLOTS) throw new RangeError('too many ballots');
	const known = new Set(candidates);
	// Papers: each ballot's preferences (known candidates, first mention only), where it stands, and its value.
	const prefs: number[][] = [];
	for (const r of rankings) {
		const seen = new Set<number>();
		const p = r.filter((c) => known.has(c) && !seen.has(c) && (seen.add(c), true));
		if (p.length) prefs.push(p);
	}
	const valid = prefs.length;
	const quotaVotes = droopQuota(valid, seats);
	const quota = quotaVotes * UNIT;
	const lot = lotOrder(candidates, seed);
	const lotRank = new Map(lot.map((c, i) => [c, i]));
	const at = new Int32Array(valid);
	const value = new Float64Array(valid).fill(UNIT);
	const piles = new Map<number, number[]>(candidates.map((c) => [c, []]));
	const votes = new Map<number, number>(candidates.map((c) => [c, 0]));
	const state = new Map<number, 'continuing' | 'elected' | 'excluded'>(candidates.map((c) => [c, 'continuing']));
	const pending: number[] = [];
	const elected: number[] = [];
	const stages: StvStage[] = [];
	let nonTransferable = 0;
	let rounding = 0;

	for (let b = 0; b < valid; b++) {
		const c = prefs[b][0];
		piles.get(c)!.push(b);
		votes.set(c, votes.get(c)! + UNIT);
	}
	const continuing = () => candidates.filter((c) => state.get(c) === 'continuing');
	const seatsLeft = () => seats - elected.length;

	/** Rules 49(2), 51(2): the most recent preceding stage where the tied differ, then the lot. */
	const breakTie = (tied: number[], pick: 'most' | 'fewest'): { chosen: number; tie: StvStage['tie'] } => {
		if (tied.length === 1) return { chosen: tied[0], tie: null };
		let rest = tied;
		for (let i = stages.length - 1; i >= 0 && rest.length > 1; i--) {
			const v = (c: number) => stages[i].votes[c] ?? 0;
			const best = pick === 'most' ? Math.max(...rest.map(v)) : Math.min(...rest.map(v));
			const narrowed = rest.filter((c) => v(c) === best);
			if (narrowed.length < rest.length) rest = narrowed;
		}
		if (rest.length === 1) return { chosen: rest[0], tie: { between: tied, by: 'earlier_stage' } };
		const chosen = rest.reduce((a, b) => (lotRank.get(a)! < lotRank.get(b)! ? a : b));
		return { chosen, tie: { between: tied, by: 'lot' } };
	};

	/** Moves a paper to its next continuing preference, or sets it aside as non-transferable. */
	const passOn = (b: number, transfers: Record<number, number>) => {
		const p = prefs[b];
		let i = at[b] + 1;
		while (i < p.length && state.get(p[i]) !== 'continuing') i++;
		if (i >= p.length) {
			nonTransferable += value[b];
			return;
		}
		at[b] = i;
		const to = p[i];
		piles.get(to)!.push(b);
		votes.set(to, votes.get(to)! + value[b]);
		transfers[to] = (transfers[to] ?? 0) + value[b];
	};

	/** Rule 47: everyone continuing with a quota is elected, most votes first (ties by the lot). */
	const electWithQuota = (): number[] => {
		const reached = continuing()
			.filter((c) => votes.get(c)! >= quota)
			.sort((a, b) => votes.get(b)! - votes.get(a)! || lotRank.get(a)! - lotRank.get(b)!);
		for (const c of reached) {
			state.set(c, 'elected');
			elected.push(c);
			if (votes.get(c)! > quota) pending.push(c);
		}
		return reached;
	};

	const record = (s: Omit<StvStage, 'votes' | 'nonTransferable' | 'rounding' | 'elected' | 'remaining'>) => {
		const newly = electWithQuota();
		stages.push({ ...s, votes: Object.fromEntries(votes), nonTransferable, rounding, elected: newly, remaining: [] });
	};

	record({ kind: 'first', from: null, transferValue: null, transfers: {}, tie: null });
	while (seatsLeft() > 0 && continuing().length > seatsLeft()) {
		const transfers: Record<number, number> = {};
		if (pending.length) {
			// Rule 49: the highest surplus first.
			const most = Math.max(...pending.map((c) => votes.get(c)!));
			const { chosen, tie } = breakTie(
				pending.filter((c) => votes.get(c) === most),
				'most'
			);
			pending.splice(pending.indexOf(chosen), 1);
			const total = votes.get(chosen)!;
			const surplus = total - quota;
			const papers = piles.get(chosen)!;
			piles.set(chosen, []);
			let moved = 0;
			for (const b of papers) {
				value[b] = mulDivDown(value[b], surplus, total);
				moved += value[b];
				passOn(b, transfers);
			}
			rounding += surplus - moved;
			votes.set(chosen, quota);
			transfers[chosen] = -surplus;
			record({ kind: 'surplus', from: chosen, transferValue: mulDivDown(UNIT, surplus, total), transfers, tie });
		} else {
			// Rule 50: the fewest votes is excluded; every paper passes on at its value.
			const open = continuing();
			const fewest = Math.min(...open.map((c) => votes.get(c)!));
			const { chosen, tie } = breakTie(
				open.filter((c) => votes.get(c) === fewest),
				'fewest'
			);
			state.set(chosen, 'excluded');
			const papers = piles.get(chosen)!;
			piles.set(chosen, []);
			transfers[chosen] = -votes.get(chosen)!;
			votes.set(chosen, 0);
			for (const b of papers) passOn(b, transfers);
			record({ kind: 'exclusion', from: chosen, transferValue: null, transfers, tie });
		}
	}
	// Rule 52: as many continuing candidates as seats left are elected.
	if (seatsLeft() > 0) {
		const rest = continuing().sort((a, b) => votes.get(b)! - votes.get(a)! || lotRank.get(a)! - lotRank.get(b)!);
		if (rest.length) {
			for (const c of rest) state.set(c, 'elected');
			elected.push(...rest);
			stages[stages.length - 1].remaining = rest;
		}
	}
	return { method: 'scottish_stv', seats, valid, quota: quotaVotes, stages, elected, lot: { seed, order: lot } };
}

/** Each candidate's first preferences, in whole votes. */
export const firstPreferences = (count: StvCount): Record<number, number> =>
	Object.fromEntries(Object.entries(count.stages[0]?.votes ?? {}).map(([c, v]) => [c, v / UNIT]));
