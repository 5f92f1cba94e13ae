import { describe, expect, it } from 'vitest';
import { localDateTime, parseVoteForm } from '../../src/lib/votes/form.js';
import { voteInputProblems } from '../../server/domain/votes.js';

const form = (fields: Record<string, string>) => (name: string) => fields[name] ?? '';

describe('the new-vote form', () => {
	it('reads a ranked vote with options one per line', () => {
		const { input, subject, openNow, problems } = parseVoteForm(
			form({ title: ' Where next? ', method: 'ranked', options: 'Korçë\r\n\n  Vlorë \nArta\n', eligibility: 'members', visibility: 'public', results: 'live', threshold: 'simple', openNow: '1' })
		);
		expect(problems).toEqual({});
		expect(input).toMatchObject({ title: ' Where next? ', method: 'ranked', options: ['Korçë', 'Vlorë', 'Arta'], visibility: 'public', secret: false, results: 'live', quorum: { kind: 'none' } });
		expect(input.minApprovals).toBeNull();
		expect(subject).toEqual({});
		expect(openNow).toBe(true);
		expect(voteInputProblems(input, Date.now())).toEqual({});
	});

	it('reads approval limits, a group, a secret ballot and a share quorum in percent', () => {
		const { input, problems } = parseVoteForm(
			form({ title: 'Board', method: 'approval', options: 'A\nB\nC', minApprovals: '1', maxApprovals: '2', eligibility: 'group', group: '7', secret: '1', quorumKind: 'share', quorumValue: '33,5', threshold: 'two_thirds' })
		);
		expect(problems).toEqual({});
		expect(input).toMatchObject({ minApprovals: 1, maxApprovals: 2, eligibility: 'group', groupId: 7, secret: true, quorum: { kind: 'share', share: 0.335 }, threshold: 'two_thirds' });
	});

	it('ignores the group and approval limits where they do not apply, and unknown choices', () => {
		const { input } = parseVoteForm(form({ title: 'T', method: 'nonsense', group: '3', eligibility: 'everyone', minApprovals: '2', results: 'never', threshold: '??' }));
		expect(input).toMatchObject({ method: 'yes_no', eligibility: 'members', groupId: null, minApprovals: null, maxApprovals: null, results: 'live', threshold: 'simple' });
	});

	it('reports what cannot be read, and leaves the rules to the domain', () => {
		const { input, problems } = parseVoteForm(form({ method: 'approval', options: 'A\nB', minApprovals: 'x', quorumKind: 'count', quorumValue: 'ten', opensAt: 'tomorrow' }));
		expect(problems).toEqual({ approvals: 'invalid_range', quorum: 'invalid_quorum', opensAt: 'invalid_date' });
		expect(voteInputProblems(input, Date.now())).toMatchObject({ title: 'required' });
	});

	it('takes the subject from the query: amendment, else draft version, else thread', () => {
		expect(parseVoteForm(form({ thread: '12' })).subject).toEqual({ threadId: 12 });
		expect(parseVoteForm(form({ draft: '4', version: '2', thread: '12' })).subject).toEqual({ draftId: 4, versionNumber: 2 });
		// Voting again on a version already decided is said explicitly, by the form's checkbox.
		expect(parseVoteForm(form({ draft: '4', version: '2', again: 'on' })).subject).toEqual({ draftId: 4, versionNumber: 2, again: true });
		expect(parseVoteForm(form({ amendment: '9', draft: '4' })).subject).toEqual({ amendmentId: 9 });
		expect(parseVoteForm(form({ thread: '-1' })).subject).toEqual({});
	});

	it('opens now only without an opening time', () => {
		expect(parseVoteForm(form({ openNow: '1', opensAt: '2030-01-01T10:00' })).openNow).toBe(false);
		expect(parseVoteForm(form({ openNow: '' })).openNow).toBe(false);
	});
});

describe('datetime-local in the network time zone', () => {
	it('reads wall-clock time in Tirana, in winter and in summer', () => {
		expect(localDateTime('2026-01-15T12:00')).toBe(Date.UTC(2026, 0, 15, 11, 0));
		expect(localDateTime('2026-07-15T12:00')).toBe(Date.UTC(2026, 6, 15, 10, 0));
		expect(localDateTime('2026-07-15T12:00', 'Europe/Athens')).toBe(Date.UTC(2026, 6, 15, 9, 0));
	});

	it('is null when empty and NaN when unreadable', () => {
		expect(localDateTime('  ')).toBeNull();
		expect(localDateTime('2026-13-01T10:00')).toBeNaN();
		expect(localDateTime('soon')).toBeNaN();
	});
});
