import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { droopQuota, lotOrder, scottishStv, unitsText, UNIT, type StvCount } from '../../src/lib/shared/stv.js';
import { instantRunoff, tally } from '../../server/domain/votes.js';

/** A ballot file in the BLT format (OpenSTV, droop): "candidates seats", weighted ballots ending in 0, names. */
function readBlt(file: string): { candidates: number[]; seats: number; rankings: number[][]; names: string[] } {
	const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
	const [n, seats] = lines[0].split(' ').map(Number);
	const rankings: number[][] = [];
	let i = 1;
	for (; lines[i] !== '0'; i++) {
		const [weight, ...prefs] = lines[i].split(' ').map(Number);
		for (let w = 0; w < weight; w++) rankings.push(prefs.slice(0, -1));
	}
	const names = lines.slice(i + 1, i + 1 + n).map((l) => l.replace(/"/g, ''));
	return { candidates: names.map((_, k) => k + 1), seats, rankings, names };
}

/** Votes at the end of a stage, by candidate name, as five-decimal text (the published reports' form). */
const figures = (count: StvCount, stage: number, names: string[]) =>
	Object.fromEntries(Object.entries(count.stages[stage].votes).map(([c, v]) => [names[Number(c) - 1], unitsText(v)]));

describe('Scottish STV on published worked examples', () => {
	/**
	 * The Green Party of the United States' Steering Committee election of 24 July 2005: 94 ballots, 13 candidates,
	 * 4 seats. Ballots: github.com/jklundell/droop, test/blt/SC.blt (copied unchanged to
	 * tests/fixtures/stv/gpus-2005-steering-committee.blt). Published count under the Scottish rules (droop v0.11,
	 * "Rule: Scottish STV", fixed-point arithmetic with 5 places): test/ref/report/SC-scotland-fixed-p5-d5.txt in the
	 * same repository. Its stages, as "Round n" there: quota 19.00000; Rebecca Rotzler (33) and Pat LaMarche (22)
	 * elected at the first count; Rotzler's surplus of 14 passes at 0.42424, LaMarche's of 3 at 0.13636; four
	 * candidates with no votes excluded by lot; Jason Jones, then Michael Piacsek excluded, which elects Steve Kramer
	 * (19.68180); his surplus of 0.68180; Kirit Mookerjee, Budd Dickinson and Kristen Olsen excluded; Tom Sevigny elected
	 * to the last seat with 18.59172; non-transferable 18.40808, residual (rounding) 0.00020; total 94.00000.
	 */
	const sc = readBlt('tests/fixtures/stv/gpus-2005-steering-committee.blt');
	const count = scottishStv(sc.candidates, sc.rankings, sc.seats, 'published-example');
	const name = (c: number) => sc.names[c - 1];

	it('has the quota and the first count of the report', () => {
		expect(count.valid).toBe(94);
		expect(count.quota).toBe(19);
		expect(figures(count, 0, sc.names)).toMatchObject({
			'Budd Dickinson': '6.00000',
			'Kirit Mookerjee': '3.00000',
			'Tom Sevigny': '8.00000',
			'Pat LaMarche': '22.00000',
			'Michael Piacsek': '2.00000',
			'Rebecca Rotzler': '33.00000',
			'Kristen Olsen': '1.00000',
			'Jason Jones': '1.00000',
			'Steve Kramer': '18.00000'
		});
		expect(count.stages[0].elected.map(name)).toEqual(['Rebecca Rotzler', 'Pat LaMarche']);
	});

	it('transfers the two surpluses at the published values (report rounds 1 and 2)', () => {
		const [, rotzler, lamarche] = count.stages;
		expect(rotzler).toMatchObject({ kind: 'surplus', from: 7, transferValue: 42424 });
		expect(figures(count, 1, sc.names)).toMatchObject({
			'Rebecca Rotzler': '19.00000',
			'Budd Dickinson': '6.84848',
			'Kirit Mookerjee': '3.42424',
			'Tom Sevigny': '8.42424',
			'Michael Piacsek': '2.42424',
			'Kristen Olsen': '12.45448',
			'Jason Jones': '1.42424',
			'Steve Kramer': '18.00000'
		});
		expect(unitsText(rotzler.rounding)).toBe('0.00008');
		expect(lamarche).toMatchObject({ kind: 'surplus', from: 4, transferValue: 13636 });
		expect(figures(count, 2, sc.names)).toMatchObject({
			'Pat LaMarche': '19.00000',
			'Budd Dickinson': '7.80300',
			'Kirit Mookerjee': '3.56060',
			'Tom Sevigny': '9.24240',
			'Michael Piacsek': '2.69696',
			'Kristen Olsen': '12.72720',
			'Jason Jones': '1.42424',
			'Steve Kramer': '18.54544'
		});
		expect(unitsText(lamarche.rounding)).toBe('0.00016');
	});

	it('excludes the four candidates without votes by lot, then follows the report to the end', () => {
		const zeros = count.stages.slice(3, 7);
		// Three exclusions by lot; the last of the four is alone with no votes (report rounds 3 to 6).
		expect(zeros.map((s) => [s.kind, s.tie?.by ?? null])).toEqual([...Array(3).fill(['exclusion', 'lot']), ['exclusion', null]]);
		expect(zeros.map((s) => name(s.from!)).sort()).toEqual(['Jimmy Leas', 'Steve Greenfield', 'Write-In 1', 'Write-In 2']);
		// The lot decides in the order it drew (the report's own lot drew differently; the figures do not depend on it).
		const drawn = count.lot.order.filter((c) => [6, 10, 11, 12].includes(c));
		expect(zeros.map((s) => s.from)).toEqual(drawn);

		expect(count.stages[7]).toMatchObject({ kind: 'exclusion', from: 9 });
		expect(figures(count, 7, sc.names)['Kristen Olsen']).toBe('14.15144');
		expect(count.stages[8]).toMatchObject({ kind: 'exclusion', from: 5 });
		expect(figures(count, 8, sc.names)).toMatchObject({ 'Budd Dickinson': '8.80300', 'Kirit Mookerjee': '3.69696', 'Kristen Olsen': '14.57568', 'Steve Kramer': '19.68180' });
		expect(count.stages[8].elected.map(name)).toEqual(['Steve Kramer']);

		expect(count.stages[9]).toMatchObject({ kind: 'surplus', from: 13 });
		expect(figures(count, 9, sc.names)).toMatchObject({ 'Budd Dickinson': '9.01084', 'Kirit Mookerjee': '3.95360', 'Tom Sevigny': '9.45496', 'Kristen Olsen': '14.57568', 'Steve Kramer': '19.00000' });
		expect(unitsText(count.stages[9].nonTransferable)).toBe('0.00472');
		expect(unitsText(count.stages[9].rounding)).toBe('0.00020');

		expect(count.stages[10]).toMatchObject({ kind: 'exclusion', from: 2 });
		expect(figures(count, 10, sc.names)).toMatchObject({ 'Budd Dickinson': '9.36448', 'Tom Sevigny': '10.59132', 'Kristen Olsen': '15.61032' });
		expect(unitsText(count.stages[10].nonTransferable)).toBe('1.43368');
		expect(count.stages[11]).toMatchObject({ kind: 'exclusion', from: 1 });
		expect(figures(count, 11, sc.names)).toMatchObject({ 'Tom Sevigny': '16.62204', 'Kristen Olsen': '16.59988' });
		expect(unitsText(count.stages[11].nonTransferable)).toBe('3.77788');
		expect(count.stages[12]).toMatchObject({ kind: 'exclusion', from: 8 });
		expect(figures(count, 12, sc.names)['Tom Sevigny']).toBe('18.59172');
		expect(unitsText(count.stages[12].nonTransferable)).toBe('18.40808');
		expect(count.stages[12].remaining.map(name)).toEqual(['Tom Sevigny']);
		expect(count.stages).toHaveLength(13);
		expect(count.elected.map(name)).toEqual(['Rebecca Rotzler', 'Pat LaMarche', 'Steve Kramer', 'Tom Sevigny']);
	});

	/**
	 * Quota examples published by Scottish returning officers: the City of Edinburgh Council, "Single Transferable
	 * Vote (STV)" (edinburgh.gov.uk, elections-voting): 1,000 votes for 2 seats → quota 334; saltire.net "voting
	 * system" (a Highland candidate's page on the 2007 count): 4,000 valid votes for 4 councillors → 801. (BBC News
	 * Scotland's explainer of 27 April 2017 gives 1,251 for 5,000 votes and 4 councillors: that is the quota for 3;
	 * rule 46 gives 1,001, asserted here.)
	 */
	it('computes the quota of rule 46 as the published examples do', () => {
		expect(droopQuota(1000, 2)).toBe(334);
		expect(droopQuota(5000, 4)).toBe(1001);
		expect(droopQuota(4000, 4)).toBe(801);
	});
});

describe('Scottish STV: rules the examples do not reach', () => {
	it('uses earlier stages for a tie, and the lot only when the tied were equal at every stage', () => {
		// Quota 4 (9 ballots, 2 seats). A: 5 (elected), surplus 1 passes to C at 0.2 per paper (5 papers → 1.0).
		// Then B 2, C 2 (1 + 1.0), D 1: D excluded first (its paper goes nowhere); then B and C tie at 2, but at the
		// first stage C had 1 and B 2: C is excluded.
		const rankings = [...Array(5).fill([1, 3]), [2], [2], [3], [4]];
		const c = scottishStv([1, 2, 3, 4], rankings, 2, 'seed');
		expect(c.quota).toBe(4);
		const tieStage = c.stages.find((s) => s.tie);
		expect(tieStage).toMatchObject({ kind: 'exclusion', from: 3, tie: { between: [2, 3], by: 'earlier_stage' } });
		expect(c.elected).toEqual([1, 2]);
	});

	it('draws the lot from the published seed, the same everywhere', () => {
		expect(lotOrder([3, 1, 2, 4], 'abc')).toEqual(lotOrder([1, 2, 3, 4], 'abc'));
		expect(new Set(Array.from({ length: 20 }, (_, i) => lotOrder([1, 2, 3, 4, 5], `s${i}`).join()))).not.toEqual(new Set([lotOrder([1, 2, 3, 4, 5], 's0').join()]));
		const tied = scottishStv([1, 2, 3], [[1], [2], [3]], 1, 'x');
		expect(tied.stages[1].tie).toMatchObject({ by: 'lot' });
		expect(tied.stages[1].from).toBe(lotOrder([1, 2, 3], 'x')[0]);
	});

	it('elects every candidate when there are no more candidates than seats, and nobody without ballots', () => {
		expect(scottishStv([1, 2], [[1]], 3, 's').elected).toEqual([1, 2]);
		expect(scottishStv([1, 2, 3], [], 2, 's').stages[0].votes).toEqual({ 1: 0, 2: 0, 3: 0 });
	});

	it('skips unknown and repeated candidates on a ballot instead of failing', () => {
		const c = scottishStv([1, 2, 3], [[9, 1, 1, 2], [2], [3, 3]], 1, 's');
		expect(c.valid).toBe(3);
		expect(c.stages[0].votes).toEqual({ 1: UNIT, 2: UNIT, 3: UNIT });
	});

	it('is instant-runoff when one seat is filled and no tie arises', () => {
		const rankings = [...Array(4).fill([1, 2]), ...Array(3).fill([2, 1]), ...Array(2).fill([3, 2])];
		const irv = instantRunoff([1, 2, 3], rankings);
		expect(irv.winner).toBe(2);
		expect(scottishStv([1, 2, 3], rankings, 1, 's').elected).toEqual([irv.winner]);
	});
});

/** A small deterministic generator for the property runs (the same cases on every run). */
function randomElections(runs: number, seed = 7) {
	let s = seed;
	const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 4294967296);
	return Array.from({ length: runs }, () => {
		const n = 2 + Math.floor(rnd() * 9);
		const seats = 1 + Math.floor(rnd() * Math.min(5, n));
		const candidates = Array.from({ length: n }, (_, i) => i + 1);
		const rankings = Array.from({ length: Math.floor(rnd() * 200) }, () => {
			const shuffled = [...candidates].sort(() => rnd() - 0.5);
			return shuffled.slice(0, 1 + Math.floor(rnd() * n));
		});
		return { candidates, seats, rankings };
	});
}

describe('Scottish STV: invariants over 300 generated elections', () => {
	const cases = randomElections(300);

	it('conserves every vote: candidates + non-transferable + rounding = valid ballots, at every stage', () => {
		for (const { candidates, seats, rankings } of cases) {
			const c = scottishStv(candidates, rankings, seats, 'p');
			for (const s of c.stages) {
				const held = Object.values(s.votes).reduce((a, v) => a + v, 0);
				expect(held + s.nonTransferable + s.rounding).toBe(c.valid * UNIT);
				expect(s.rounding).toBeGreaterThanOrEqual(0);
			}
		}
	});

	it('fills every seat when enough candidates stand, and elects each at most once', () => {
		for (const { candidates, seats, rankings } of cases) {
			const c = scottishStv(candidates, rankings, seats, 'p');
			expect(new Set(c.elected).size).toBe(c.elected.length);
			expect(c.elected.length).toBe(Math.min(seats, candidates.length));
		}
	});

	it('elects everyone who reaches the quota, with the quota of rule 46', () => {
		for (const { candidates, seats, rankings } of cases) {
			const c = scottishStv(candidates, rankings, seats, 'p');
			expect(c.quota).toBe(Math.floor(c.valid / (seats + 1)) + 1);
			// More than seats × quota votes cannot exist, so no more than `seats` reach it.
			expect(c.quota * (seats + 1)).toBeGreaterThan(c.valid);
			for (const s of c.stages) for (const e of s.elected) expect(s.votes[e]).toBeGreaterThanOrEqual(c.quota * UNIT);
		}
	});

	it('never lets a transfer value exceed the paper it came from', () => {
		for (const { candidates, seats, rankings } of cases) {
			for (const s of scottishStv(candidates, rankings, seats, 'p').stages) if (s.transferValue !== null) expect(s.transferValue).toBeLessThanOrEqual(UNIT);
		}
	});
});

describe('an election in the vote tally', () => {
	it('elects nobody without a valid ballot', () => {
		const r = tally({ method: 'ranked', options: [1, 2, 3], quorum: { kind: 'none' }, threshold: 'simple', seats: 2, lotSeed: 's' }, [], 10);
		expect(r).toMatchObject({ outcome: 'no_votes', winners: [] });
		const some = tally({ method: 'ranked', options: [1, 2, 3], quorum: { kind: 'none' }, threshold: 'simple', seats: 2, lotSeed: 's' }, [{ method: 'ranked', ranking: [2] }], 10);
		expect(some).toMatchObject({ outcome: 'elected', reason: 'stv_elected', counts: { 1: 0, 2: 1, 3: 0 } });
	});
});
