import { describe, expect, it } from 'vitest';
import { attendanceOf, objectionsOf, speakingTimes, type LogEvent } from '../../server/domain/meeting-record.js';
import { closingBlocks } from '../../server/services/minutes.js';

describe('a consent round hands on its objections', () => {
	it('keeps standing objections and blocks with their reasons (named on open rounds only), and every reason leaves its ballot', () => {
		const ballots = [
			{ receipt: 'A', unit: 'u:1', ballot: { method: 'consent' as const, choice: 'object' as const, reason: ' Article 4. ' } },
			{ receipt: 'B', unit: 'u:2', ballot: { method: 'consent' as const, choice: 'block' as const, reason: 'Fees.' } },
			{ receipt: 'C', unit: 'u:3', ballot: { method: 'consent' as const, choice: 'agree' as const, reason: 'Was an objection once.' } },
			{ receipt: 'D', unit: 'u:4', ballot: { method: 'consent' as const, choice: 'agree' as const } }
		];
		const open = objectionsOf(ballots, false);
		expect(open.standing).toEqual([
			{ kind: 'object', reason: 'Article 4.', authorUnit: 'u:1' },
			{ kind: 'block', reason: 'Fees.', authorUnit: 'u:2' }
		]);
		expect(open.stripped.map((b) => [b.receipt, b.ballot])).toEqual([
			['A', { method: 'consent', choice: 'object' }],
			['B', { method: 'consent', choice: 'block' }],
			['C', { method: 'consent', choice: 'agree' }]
		]);
		expect(objectionsOf(ballots, true).standing.map((o) => o.authorUnit)).toEqual([null, null]);
	});
});

describe('the record read from the log', () => {
	const log: LogEvent[] = [
		{ at: 10, kind: 'opened', userId: null, itemId: null, name: null },
		{ at: 11, kind: 'checked_in', userId: 2, itemId: null, name: 'Besa' },
		{ at: 12, kind: 'checked_in', userId: 1, itemId: null, name: 'Arta' },
		{ at: 20, kind: 'checked_out', userId: 2, itemId: null, name: 'Besa' },
		{ at: 25, kind: 'checked_in', userId: 2, itemId: null, name: 'Besa' }
	];

	it('tells each stay of each person, by name', () => {
		expect(attendanceOf(log)).toEqual([
			{ userId: 1, name: 'Arta', stays: [{ from: 12, to: null }] },
			{ userId: 2, name: 'Besa', stays: [{ from: 11, to: 20 }, { from: 25, to: null }] }
		]);
	});

	it('adds up each speaker time over their speeches', () => {
		expect(
			speakingTimes([
				{ userId: 1, name: 'Arta', startedAt: 0, endedAt: 65_000 },
				{ userId: 2, name: 'Besa', startedAt: 70_000, endedAt: 110_000 },
				{ userId: 1, name: 'Arta', startedAt: 120_000, endedAt: 180_000 }
			])
		).toEqual([
			{ name: 'Arta', ms: 125_000 },
			{ name: 'Besa', ms: 40_000 }
		]);
	});

	it('names those present in a members-only meeting and only counts them in a public one', () => {
		const at = Date.UTC(2026, 11, 7, 10, 0);
		const people = attendanceOf(log.map((e) => ({ ...e, at: at + e.at * 60_000 })));
		const proxies = [{ giver: 'Dritan', holder: 'Arta' }];
		const members = JSON.stringify(closingBlocks(at + 3600_000, at + 3600_000, people, proxies, [], 'members', 'en'));
		expect(members).toContain('Besa (11:11–11:20, 11:25–12:00)');
		expect(members).toContain('Arta held the proxy of Dritan.');
		const visitors = JSON.stringify(closingBlocks(at + 3600_000, at + 3600_000, people, proxies, [], 'public', 'el'));
		expect(visitors).toContain('Δήλωσαν παρουσία 2 άτομα (δημόσια συνεδρίαση: χωρίς ονόματα).');
		expect(visitors).toContain('Δόθηκε 1 εξουσιοδότηση για αυτή τη συνεδρίαση.');
		expect(visitors).not.toMatch(/Arta|Besa|Dritan/);
	});
});
