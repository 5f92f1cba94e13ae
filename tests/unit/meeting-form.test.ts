import { describe, expect, it } from 'vitest';
import { linkedId, parseMeetingForm } from '../../src/lib/meetings/form.js';
import { meetingInputProblems } from '../../src/lib/shared/meeting-schemas.js';

const form = (fields: Record<string, string>) => (name: string) => fields[name] ?? '';

const base = { title: 'Asambleja e pranverës', startsAt: '2026-03-20T18:00', endsAt: '2026-03-20T20:30', place: 'Tirana, Pallati i Kulturës', body: 'network' };

describe('the new-meeting form', () => {
	it('reads a network meeting; times are wall-clock in Tirana (CET in winter)', () => {
		const { input, problems } = parseMeetingForm(form({ ...base, description: 'Annual', visibility: 'public', agenda: '1. Opening\r\n\n  Budget 2026 \n- Any other business\n' }));
		expect(problems).toEqual({});
		expect(input).toMatchObject({ title: base.title, groupId: null, visibility: 'public', quorum: { kind: 'none' }, chairIds: [] });
		expect(input.startsAt).toBe(Date.UTC(2026, 2, 20, 17, 0));
		expect(input.endsAt).toBe(Date.UTC(2026, 2, 20, 19, 30));
		expect(input.agenda).toEqual(['Opening', 'Budget 2026', 'Any other business']);
		expect(meetingInputProblems(input)).toEqual({});
	});

	it('reads summer time (CEST) across the daylight-saving change', () => {
		const { input } = parseMeetingForm(form({ ...base, startsAt: '2026-07-01T09:30', endsAt: '2026-07-01T11:00' }));
		expect(input.startsAt).toBe(Date.UTC(2026, 6, 1, 7, 30));
		expect(input.endsAt).toBe(Date.UTC(2026, 6, 1, 9, 0));
	});

	it('reads a group, members-only visibility, a share quorum in percent and chairs without repeats', () => {
		const { input, problems } = parseMeetingForm(form({ ...base, body: '7', visibility: 'members', quorumKind: 'share', quorumValue: '33,5 %' }), ['4', '9', '4', 'x', '-2']);
		expect(problems).toEqual({});
		expect(input).toMatchObject({ groupId: 7, visibility: 'members', quorum: { kind: 'share', share: 0.335 }, chairIds: [4, 9] });
	});

	it('reads a count quorum, and refuses one that is not a whole number', () => {
		expect(parseMeetingForm(form({ ...base, quorumKind: 'count', quorumValue: '12' })).input.quorum).toEqual({ kind: 'count', count: 12 });
		const { problems } = parseMeetingForm(form({ ...base, quorumKind: 'count', quorumValue: '1.5' }));
		expect(problems).toEqual({ quorum: 'invalid_quorum' });
		expect(parseMeetingForm(form({ ...base, quorumKind: 'share', quorumValue: '' })).problems).toEqual({ quorum: 'invalid_quorum' });
	});

	it('reports dates it cannot read and a missing body; empty dates are left to the rules', () => {
		const { input, problems } = parseMeetingForm(form({ ...base, startsAt: '20/03/2026 18:00', endsAt: '', body: '' }));
		expect(problems).toEqual({ startsAt: 'invalid_date', body: 'required' });
		expect(input.startsAt).toBeNull();
		expect(meetingInputProblems(input)).toMatchObject({ startsAt: 'required', endsAt: 'required' });
	});

	it('leaves the rules to the domain: ends before it starts, neither place nor link, a bad link', () => {
		const { input } = parseMeetingForm(form({ ...base, endsAt: '2026-03-20T17:00', place: '', onlineUrl: 'meet.example' }));
		expect(meetingInputProblems(input)).toMatchObject({ endsAt: 'ends_before_starts', onlineUrl: 'invalid_url' });
		expect(meetingInputProblems(parseMeetingForm(form({ ...base, place: ' ' })).input)).toMatchObject({ place: 'place_or_link' });
	});
});

describe('ids of an agenda item’s thread or draft', () => {
	it('reads a number, #number or the address of the page', () => {
		expect(linkedId('12', 'thread')).toBe(12);
		expect(linkedId(' #7 ', 'draft')).toBe(7);
		expect(linkedId('http://localhost:3000/forum/t/41?page=2', 'thread')).toBe(41);
		expect(linkedId('https://kuvend.example/drafts/9/diff', 'draft')).toBe(9);
		expect(linkedId('', 'thread')).toBeNull();
		expect(linkedId('/drafts/9', 'thread')).toBeNull();
		expect(linkedId('0', 'draft')).toBeNull();
	});
});
