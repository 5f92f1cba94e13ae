import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from '../../server/realtime/coalesce.js';
import type { Logger } from '../../server/logger.js';

const logger = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn<Logger['error']>() });

describe('coalesce', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('trailing: a burst of calls is one run, an interval after the first', () => {
		const run = vi.fn();
		const c = coalesce<number>({ intervalMs: 50, run, name: 'test', logger: logger() });
		for (let i = 0; i < 10; i++) c.schedule(1);
		vi.advanceTimersByTime(49);
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(run).toHaveBeenCalledTimes(1);
		expect(run).toHaveBeenCalledWith(1);
		c.schedule(1);
		vi.advanceTimersByTime(50);
		expect(run).toHaveBeenCalledTimes(2);
	});

	it('leading: the first run at once, then at most one per interval, gathering what came between', () => {
		const run = vi.fn();
		const c = coalesce<number>({ intervalMs: 100, leading: true, run, name: 'test', logger: logger() });
		c.schedule(7);
		vi.advanceTimersByTime(0);
		expect(run).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(30);
		c.schedule(7);
		c.schedule(7);
		vi.advanceTimersByTime(69);
		expect(run).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1);
		expect(run).toHaveBeenCalledTimes(2);
		// Quiet for longer than the interval: the next one goes at once again.
		vi.advanceTimersByTime(500);
		c.schedule(7);
		vi.advanceTimersByTime(0);
		expect(run).toHaveBeenCalledTimes(3);
	});

	it('keeps keys apart', () => {
		const run = vi.fn();
		const c = coalesce<number>({ intervalMs: 50, run, name: 'test', logger: logger() });
		c.schedule(1);
		c.schedule(2);
		c.schedule(1);
		vi.advanceTimersByTime(50);
		expect(run.mock.calls).toEqual([[1], [2]]);
	});

	it('cancels one key, flushes a pending run at once, and stops for good', () => {
		const run = vi.fn();
		const c = coalesce<number>({ intervalMs: 50, run, name: 'test', logger: logger() });
		c.schedule(1);
		c.schedule(2);
		c.cancel(1);
		vi.advanceTimersByTime(50);
		expect(run.mock.calls).toEqual([[2]]);
		c.schedule(3);
		c.flush(3);
		expect(run.mock.calls).toEqual([[2], [3]]);
		c.flush(3);
		vi.advanceTimersByTime(50);
		expect(run).toHaveBeenCalledTimes(2);
		c.schedule(4);
		c.schedule(5);
		c.stop();
		vi.advanceTimersByTime(100);
		expect(run).toHaveBeenCalledTimes(2);
		// Stopped for good: a socket closing after the app began stopping schedules nothing.
		c.schedule(6);
		vi.advanceTimersByTime(100);
		expect(run).toHaveBeenCalledTimes(2);
	});

	it('logs what fails, thrown or rejected, and runs again after', async () => {
		const log = logger();
		let calls = 0;
		const c = coalesce<number>({
			intervalMs: 10,
			run: (key) => {
				calls++;
				if (key === 1) throw new Error('thrown');
				return Promise.reject(new Error('rejected'));
			},
			name: 'test broadcast',
			logger: log
		});
		c.schedule(1);
		c.schedule(2);
		await vi.advanceTimersByTimeAsync(10);
		expect(log.error).toHaveBeenCalledWith('test broadcast failed', expect.objectContaining({ key: 1 }));
		expect(log.error).toHaveBeenCalledWith('test broadcast failed', expect.objectContaining({ key: 2 }));
		c.schedule(1);
		await vi.advanceTimersByTimeAsync(10);
		expect(calls).toBe(3);
	});
});
