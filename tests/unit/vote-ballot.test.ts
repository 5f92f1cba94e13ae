import { describe, expect, it } from 'vitest';
import { ballotCheck, ballotOf } from '../../src/lib/votes/ballot.js';
import type { VoteView } from '../../src/lib/shared/votes.js';

const options = [1, 2, 3].map((id) => ({ id, label: `O${id}` }));
const vote = (method: VoteView['method'], over: Partial<VoteView> = {}) => ({ method, options, minApprovals: null, maxApprovals: null, ...over });
const form = (entries: [string, string][]) => {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
};
const ranked = (ranks: Record<number, string>) => form(options.flatMap((o) => [['ranked', String(o.id)] as [string, string], [`rank_${o.id}`, ranks[o.id] ?? '']]));

describe('a ballot before it is sent', () => {
	it('asks for a choice when nothing is chosen', () => {
		expect(ballotCheck(vote('yes_no'), form([]))).toBe('choose');
		expect(ballotCheck(vote('single'), form([]))).toBe('choose');
		expect(ballotCheck(vote('approval', { minApprovals: 1, maxApprovals: 2 }), form([]))).toBe('choose');
		expect(ballotCheck(vote('ranked'), ranked({}))).toBe('choose');
	});

	it('keeps approvals within the limits', () => {
		const v = vote('approval', { minApprovals: 2, maxApprovals: 2 });
		expect(ballotCheck(v, form([['option', '1']]))).toBe('too_few');
		expect(ballotCheck(v, form([['option', '1'], ['option', '2'], ['option', '3']]))).toBe('too_many');
		expect(ballotCheck(v, form([['option', '1'], ['option', '3']]))).toBeNull();
	});

	it('reads a ranking in rank order and refuses two options on one rank', () => {
		expect(ballotOf('ranked', ranked({ 1: '2', 3: '1' }))).toEqual({ method: 'ranked', ranking: [3, 1] });
		expect(ballotCheck(vote('ranked'), ranked({ 1: '1', 2: '1' }))).toBe('same_rank');
		expect(ballotCheck(vote('ranked'), ranked({ 2: '1' }))).toBeNull();
	});

	it('wants every option scored', () => {
		const scored = (s: string[]) => form(options.flatMap((o, i) => [['scored', String(o.id)] as [string, string], [`score_${o.id}`, s[i] ?? '']]));
		expect(ballotCheck(vote('score'), scored(['5', '0']))).toBe('incomplete');
		expect(ballotCheck(vote('score'), scored(['5', '0', '3']))).toBeNull();
	});

	// Without the exact reading in ballotFromForm (it took any run of digits with Number()), "01" named option 1.
	it('reads option numbers only as the page writes them', () => {
		for (const option of ['01', ' 1', '1.0', '+1']) expect(ballotCheck(vote('single'), form([['option', option]])), option).toBe('invalid_choice');
		expect(ballotCheck(vote('single'), form([['option', '1']]))).toBeNull();
	});

	it('wants a reason to object or block', () => {
		expect(ballotCheck(vote('consent'), form([['choice', 'block'], ['reason', '  ']]))).toBe('reason_required');
		expect(ballotCheck(vote('consent'), form([['choice', 'object'], ['reason', 'Article 4']]))).toBeNull();
		expect(ballotCheck(vote('consent'), form([['choice', 'agree']]))).toBeNull();
	});
});
