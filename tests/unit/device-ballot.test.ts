import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceBallot } from '../../src/lib/votes/device-ballot.js';
import { DEVICE_TOKEN_PATTERN } from '../../src/lib/shared/votes.js';

const yes = { method: 'yes_no', choice: 'yes' } as const;
const no = { method: 'yes_no', choice: 'no' } as const;

beforeEach(() => {
	const items = new Map<string, string>();
	globalThis.localStorage = {
		getItem: (k: string) => items.get(k) ?? null,
		setItem: (k: string, v: string) => void items.set(k, String(v)),
		removeItem: (k: string) => void items.delete(k),
		clear: () => items.clear(),
		key: (i: number) => [...items.keys()][i] ?? null,
		get length() {
			return items.size;
		}
	};
});

describe("what a device keeps for a vote's ballot", () => {
	it('sends an unanswered first cast again under the same cast id and change key, and a new one after an answer', () => {
		const device = new DeviceBallot(7);
		const first = device.prepare(yes, false, true);
		expect(first.castId).toMatch(DEVICE_TOKEN_PATTERN);
		expect(first.changeKey).toMatch(DEVICE_TOKEN_PATTERN);
		// Pressed again (even with another choice) before any answer: the first may have been counted.
		const again = device.prepare(no, false, true);
		expect([again.castId, again.changeKey]).toEqual([first.castId, first.changeKey]);
		expect(new DeviceBallot(7).pending).toEqual(again);
		// Answered: the receipt and the change key stay on the device, the cast is done.
		device.answered(again, 'ABCD-EFGH-JKMN');
		expect([device.receipt, device.changeKey, device.pending]).toEqual(['ABCD-EFGH-JKMN', first.changeKey, null]);
		// A change of the secret ballot names it by receipt and key, under a cast id of its own; it keeps the key.
		const change = device.prepare(no, true, true);
		expect(change).toMatchObject({ replace: true, receipt: 'ABCD-EFGH-JKMN', changeKey: first.changeKey });
		expect(change.castId).not.toBe(first.castId);
		device.answered(change, '');
		expect([device.receipt, device.changeKey]).toEqual(['ABCD-EFGH-JKMN', first.changeKey]);
	});

	it('forgets a refused cast, keeps no key for an open ballot, and reads a damaged entry as none', () => {
		const device = new DeviceBallot(8);
		const refused = device.prepare(yes, false, true);
		device.answered(refused, null);
		expect([device.pending, device.changeKey]).toEqual([null, '']);
		expect(device.prepare(yes, false, true).castId).not.toBe(refused.castId);
		const open = new DeviceBallot(9).prepare(yes, false, false);
		expect(open.changeKey).toBeUndefined();
		localStorage.setItem('kuvend:cast:10', '{not json');
		expect(new DeviceBallot(10).pending).toBeNull();
	});
});
