import { describe, expect, it } from 'vitest';
import { isExpired, newSessionTimes, slideTo, TOUCH_INTERVAL_MS } from '../../server/domain/session-policy.js';

const HOUR = 3_600_000;
const policy = { idleMs: 24 * HOUR, absoluteMs: 72 * HOUR };

describe('session lifetimes', () => {
	it('starts with an idle deadline inside the absolute one', () => {
		const t = newSessionTimes(0, policy);
		expect(t.expires_at).toBe(24 * HOUR);
		expect(t.absolute_expires_at).toBe(72 * HOUR);
		expect(newSessionTimes(0, { idleMs: 10, absoluteMs: 5 }).expires_at).toBe(5);
	});

	it('expires when idle too long or past the absolute limit', () => {
		const t = newSessionTimes(0, policy);
		expect(isExpired(t, 24 * HOUR - 1)).toBe(false);
		expect(isExpired(t, 24 * HOUR)).toBe(true);
		expect(isExpired({ ...t, expires_at: 100 * HOUR }, 72 * HOUR)).toBe(true);
	});

	it('slides forward at most once per touch interval and never past the absolute limit', () => {
		const t = newSessionTimes(0, policy);
		expect(slideTo(t, TOUCH_INTERVAL_MS - 1, policy)).toBeNull();
		expect(slideTo(t, TOUCH_INTERVAL_MS, policy)).toBe(TOUCH_INTERVAL_MS + 24 * HOUR);
		const late = { ...t, last_seen_at: 60 * HOUR, expires_at: 70 * HOUR };
		expect(slideTo(late, 62 * HOUR, policy)).toBe(72 * HOUR);
		expect(slideTo(t, 25 * HOUR, policy)).toBeNull();
	});
});
