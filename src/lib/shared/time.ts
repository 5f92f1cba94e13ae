/** The network lives in Albania and Greece: its own times (minutes, calendars) are in this zone. */
export const NETWORK_TIME_ZONE = 'Europe/Tirane';

/** The browser's zone, kept in a cookie so the server renders a visitor's times as their browser would. */
export const TIME_ZONE_COOKIE = 'kuvend_tz';

/** An IANA time zone name this runtime knows ("Europe/Athens"); anything else, offsets included, is not. */
export function isTimeZone(value: unknown): value is string {
	if (typeof value !== 'string' || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

/** The zones a member may choose from: the network's two first, then every zone the runtime knows. */
export function timeZoneChoices(): string[] {
	const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
	const first = [NETWORK_TIME_ZONE, 'Europe/Athens'];
	return [...first, ...all.filter((z) => !first.includes(z))];
}

let zoneSource: () => string | undefined = () => undefined;

/**
 * Where the reader's zone comes from: on the server, the request being rendered (src/lib/server/reader-zone.ts);
 * in the browser, the page data (the root layout). Like Paraglide's overwriteGetLocale.
 */
export function overwriteGetTimeZone(source: () => string | undefined): void {
	zoneSource = source;
}

/** The zone the current reader's times are shown in. */
export const readerZone = (): string => zoneSource() ?? NETWORK_TIME_ZONE;
