import { describe, expect, it, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';
import { refusalText } from '$lib/realtime/refusals';
import { followRefusals } from '$lib/drafts/refusals';
import { YJS_CLOSE } from '$lib/shared/realtime';

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

describe('the restarting and disk-full refusals', () => {
	it('are worded for forms and socket acks', () => {
		expect(refusalText({ code: 'restarting', message: 'server_restarting' })).toBe(m.error_restarting());
		expect(failureText('unavailable')).toBe(m.error_unavailable());
	});
});

describe('followRefusals (the draft editor)', () => {
	/** The provider's two events, as y-websocket emits them. */
	function fakeProvider() {
		const handlers = new Map<string, (arg: unknown) => void>();
		return { on: (name: string, f: (arg: unknown) => void) => void handlers.set(name, f), emit: (name: string, arg: unknown) => handlers.get(name)!(arg) };
	}

	it('says a change is not being saved or the server is restarting, and stops saying it once synced again for a while', () => {
		vi.useFakeTimers();
		try {
			const provider = fakeProvider();
			const shown: (string | null)[] = [];
			followRefusals(provider as unknown as WebsocketProvider, (text) => shown.push(text));
			provider.emit('connection-close', { code: YJS_CLOSE.not_saved, reason: 'not_saved' });
			expect(shown.at(-1)).toBe(m.drafts_not_saved());
			// Synced, but refused again at once (the disk is still full): the sentence stays.
			provider.emit('sync', true);
			provider.emit('connection-close', { code: YJS_CLOSE.not_saved, reason: 'not_saved' });
			vi.advanceTimersByTime(5000);
			expect(shown.at(-1)).toBe(m.drafts_not_saved());
			provider.emit('connection-close', { code: YJS_CLOSE.restarting, reason: 'server restarting' });
			expect(shown.at(-1)).toBe(m.drafts_restarting());
			provider.emit('sync', true);
			vi.advanceTimersByTime(3000);
			expect(shown.at(-1)).toBeNull();
			provider.emit('connection-close', { code: YJS_CLOSE.refused, reason: 'update_too_large' });
			expect(shown.at(-1)).toBe(m.drafts_refused_size());
		} finally {
			vi.useRealTimers();
		}
	});
});
