import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';
import { refusalText } from '$lib/realtime/refusals';

describe('refusalText', () => {
	it('words the refusals of casting and of the meeting room alike, by the service message', () => {
		expect(refusalText({ code: 'conflict', message: 'already_voted' })).toBe(m.vote_problem_already_voted());
		expect(refusalText({ code: 'forbidden', message: 'not_chair' })).toBe(m.live_error_not_chair());
	});

	it('falls back to the page’s wording of the code, then to the common one', () => {
		const unreadable = () => 'unreadable ballot';
		expect(refusalText({ code: 'invalid_input', message: 'ballot' }, { invalid_input: unreadable })).toBe('unreadable ballot');
		expect(refusalText({ code: 'conflict', message: 'already_voted' }, { conflict: unreadable })).toBe(m.vote_problem_already_voted());
		expect(refusalText({ code: 'not_found', message: 'meeting' })).toBe(failureText('not_found'));
	});
});
