import { describe, expect, it } from 'vitest';
import { OrderedWrites } from '../../server/services/ordered-writes.js';

/** A log that answers when told to: each group it was given, and a way to settle the oldest one. */
function slowLog() {
	const groups: { items: number[]; settle: (error?: Error) => void }[] = [];
	const writes = new OrderedWrites<number>(
		(items) =>
			new Promise<void>((resolve, reject) => {
				groups.push({ items: [...items], settle: (error) => (error ? reject(error) : resolve()) });
			})
	);
	return { writes, groups };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('a document\'s writes to a log that answers later', () => {
	it('sends the first at once and those that wait as one group after it, in order', async () => {
		const { writes, groups } = slowLog();
		const done: number[] = [];
		const all = [1, 2, 3, 4].map((n) => (writes.write(n) as Promise<void>).then(() => done.push(n)));
		expect(groups.map((g) => g.items)).toEqual([[1]]);
		groups[0].settle();
		await tick();
		expect(groups.map((g) => g.items)).toEqual([[1], [2, 3, 4]]);
		// A write arriving while the group is being written goes in the group after it.
		const late = writes.write(5) as Promise<void>;
		groups[1].settle();
		await tick();
		expect(groups.map((g) => g.items)).toEqual([[1], [2, 3, 4], [5]]);
		groups[2].settle();
		await Promise.all([...all, late]);
		expect(done).toEqual([1, 2, 3, 4]);
		expect(writes.pending).toBeNull();
	});

	it('refuses a failed group\'s writes only, and goes on with the next', async () => {
		const { writes, groups } = slowLog();
		const first = writes.write(1) as Promise<void>;
		const second = writes.write(2) as Promise<void>;
		const third = writes.write(3) as Promise<void>;
		groups[0].settle();
		await first;
		await tick();
		const fourth = writes.write(4) as Promise<void>;
		groups[1].settle(new Error('disk full'));
		await expect(second).rejects.toThrow('disk full');
		await expect(third).rejects.toThrow('disk full');
		await tick();
		groups[2].settle();
		await expect(fourth).resolves.toBeUndefined();
		expect(groups.map((g) => g.items)).toEqual([[1], [2, 3], [4]]);
	});

	it('writes at once, with nothing pending, on a log that answers at once', () => {
		const seen: number[][] = [];
		const writes = new OrderedWrites<number>((items) => void seen.push(items));
		expect(writes.write(1)).toBeUndefined();
		expect(writes.write(2)).toBeUndefined();
		expect(seen).toEqual([[1], [2]]);
		expect(writes.pending).toBeNull();
	});
});
