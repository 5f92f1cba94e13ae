import { AsyncLocalStorage } from 'node:async_hooks';
import { isTimeZone, NETWORK_TIME_ZONE, overwriteGetTimeZone } from '$lib/shared/time';

const current = new AsyncLocalStorage<string>();
overwriteGetTimeZone(() => current.getStore());

/** The reader's zone: their own choice, else their browser's (its cookie), else the network's. */
export function zoneOf(chosen: string | null | undefined, browserCookie: string | undefined): string {
	if (isTimeZone(chosen)) return chosen;
	return isTimeZone(browserCookie) ? browserCookie : NETWORK_TIME_ZONE;
}

/** Renders with `zone` as the reader's zone for everything formatted inside `render` (and what it awaits). */
export function withReaderZone<T>(zone: string, render: () => T): T {
	return current.run(zone, render);
}
