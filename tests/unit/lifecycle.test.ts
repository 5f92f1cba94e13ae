import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../../server/lifecycle.js';

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
