/** Pure rules for session lifetimes. Times in epoch milliseconds; `now` is always passed in. */

export interface SessionTimes {
	created_at: number;
	last_seen_at: number;
	expires_at: number;
	absolute_expires_at: number;
}

export interface SessionPolicy {
	idleMs: number;
	absoluteMs: number;
}

/** A sliding session is extended at most this often, so a busy member does not write on every request. */
export const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export function newSessionTimes(now: number, policy: SessionPolicy): SessionTimes {
	const absolute = now + policy.absoluteMs;
	return {
		created_at: now,
		last_seen_at: now,
		expires_at: Math.min(now + policy.idleMs, absolute),
		absolute_expires_at: absolute
	};
}

export function isExpired(s: SessionTimes, now: number): boolean {
	return now >= s.expires_at || now >= s.absolute_expires_at;
}

/** The new idle deadline when the session should slide forward now, or null when it need not be written. */
export function slideTo(s: SessionTimes, now: number, policy: SessionPolicy): number | null {
	if (isExpired(s, now) || now - s.last_seen_at < TOUCH_INTERVAL_MS) return null;
	return Math.min(now + policy.idleMs, s.absolute_expires_at);
}
