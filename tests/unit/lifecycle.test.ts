import { describe, expect, it, vi } from 'vitest';
import { Lifecycle, stopOnSignal } from '../../server/lifecycle.js';

describe('Lifecycle', () => {
	it('runs writes until the drain, then refuses new ones as restarting and waits for those already taken', async () => {
		const life = new Lifecycle();
		let finish!: () => void;
		const taken = life.track(() => new Promise<string>((resolve) => (finish = () => resolve('written'))));
		life.drain();
		expect(() => life.track(async () => 'late')).toThrow(expect.objectContaining({ code: 'restarting' }));
		let settled = false;
		const done = life.settled().then(() => (settled = true));
		await Promise.resolve();
		expect(settled).toBe(false); // the write taken before the drain is still being answered
		finish();
		expect(await taken).toBe('written');
		await done;
		expect(settled).toBe(true);
	});

	it('counts a failed write as answered', async () => {
		const life = new Lifecycle();
		await expect(life.track(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
		await life.settled();
	});
});

describe('stopOnSignal', () => {
	const logger = { debug() {}, info() {}, warn() {}, error() {} };

	it('exits 0 once the stop is done, and 1 when it fails', async () => {
		const codes: number[] = [];
		stopOnSignal(async () => undefined, logger, 'SIGTERM', 1000, (code) => codes.push(code));
		stopOnSignal(async () => Promise.reject(new Error('stuck')), logger, 'SIGTERM', 1000, (code) => codes.push(code));
		await new Promise((r) => setTimeout(r, 10));
		expect(codes.sort()).toEqual([0, 1]);
	});

	// Without the deadline's timer a stop that never ends never exits (checked: no exit code came).
	it('exits 1 at the deadline when the stop hangs', async () => {
		vi.useFakeTimers();
		try {
			const codes: number[] = [];
			stopOnSignal(() => new Promise(() => undefined), logger, 'SIGTERM', 10_000, (code) => codes.push(code));
			await vi.advanceTimersByTimeAsync(9_999);
			expect(codes).toEqual([]);
			await vi.advanceTimersByTimeAsync(1);
			expect(codes).toEqual([1]);
		} finally {
			vi.useRealTimers();
		}
	});
});
