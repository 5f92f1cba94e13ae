import { describe, expect, it } from 'vitest';
import { LogOrder } from '../../server/domain/log-order.js';

describe("a node's place in a document's log", () => {
	it('moves on over numbers held without a gap, and keeps later ones apart until the gap closes', () => {
		const order = new LogOrder<string>(3);
		expect(order.take(5)).toBe(true);
		expect(order.last).toBe(3);
		expect(order.holds(5)).toBe(true);
		expect(order.take(5)).toBe(false);
		expect(order.take(4)).toBe(true);
		expect(order.last).toBe(5);
		expect(order.take(2)).toBe(false);
	});

	it('gives waiting updates in order, and forgets those a read of the log went past', () => {
		const order = new LogOrder<string>(0);
		order.wait(2, 'b');
		order.wait(3, 'c');
		order.wait(6, 'f');
		expect(order.next()).toBeUndefined();
		order.take(1);
		expect(order.next()).toBe('b');
		order.take(2);
		expect(order.next()).toBe('c');
		order.reach(4);
		expect(order.waiting).toBe(1);
		order.take(6);
		expect(order.last).toBe(4);
		order.reach(5);
		expect(order.last).toBe(6);
		expect(order.waiting).toBe(0);
	});
});
