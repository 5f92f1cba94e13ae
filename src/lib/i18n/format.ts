import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { NETWORK_TIME_ZONE, readerZone } from '$lib/shared/time';

export { NETWORK_TIME_ZONE, readerZone };

/**
 * Browsers ship trimmed locale data: Chromium has none for Albanian and falls back to English patterns. For
 * Albanian we therefore format from the message catalogue on both server and browser, so both render alike.
 */
const ownFormatting = (locale: string) => locale === 'sq';

/** Building an Intl formatter costs far more than using one (75 µs against 9 µs here): keep one per locale. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
	let f = cache.get(key) as T | undefined;
	if (!f) cache.set(key, (f = make()));
	return f;
}

export function formatNumber(n: number): string {
	const locale = getLocale();
	if (!ownFormatting(locale)) return cached(`n:${locale}`, () => new Intl.NumberFormat(locale)).format(n);
	return cached('n:en', () => new Intl.NumberFormat('en'))
		.formatToParts(n)
		.map((p) => (p.type === 'group' ? '\u00a0' : p.type === 'decimal' ? ',' : p.value))
		.join('');
}

/** English dates in a European style ("22 November 2026"): the network's English readers are in Europe. */
const intlLocale = (locale: string) => (locale === 'en' ? 'en-GB' : locale);

/** " (GMT+2)" after a time shown in a zone other than the network's, so nobody mistakes it for the network's hour. */
export function zoneSuffix(ms: number, zone = readerZone()): string {
	if (zone === NETWORK_TIME_ZONE) return '';
	const name = cached(`z:${zone}`, () => new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' }))
		.formatToParts(ms)
		.find((p) => p.type === 'timeZoneName')?.value;
	return name ? ` (${name})` : '';
}

/**
 * Dates already written out, by locale, zone and minute: a thread page writes ~90 post times per view, mostly the
 * same ones each time (Intl's formatToParts and the message were 3 % of a member's page). Cleared when full.
 */
const written = new Map<string, string>();
const WRITTEN_MAX = 5_000;

/** A date and time in the reader's zone, on the 24-hour clock, with the zone named when it is not the network's. */
export function formatDateTime(ms: number, { zoneNamed = true }: { zoneNamed?: boolean } = {}): string {
	const locale = getLocale();
	const zone = readerZone();
	const key = `${locale} ${zone} ${zoneNamed ? 1 : 0} ${Math.floor(ms / 60_000)}`;
	let text = written.get(key);
	if (text === undefined) {
		if (written.size >= WRITTEN_MAX) written.clear();
		written.set(key, (text = writeDateTime(ms, locale, zone, zoneNamed)));
	}
	return text;
}

function writeDateTime(ms: number, locale: string, zone: string, zoneNamed: boolean): string {
	const options = {
		day: 'numeric',
		month: ownFormatting(locale) ? 'numeric' : 'long',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
		timeZone: zone
	} as const;
	const suffix = zoneNamed ? zoneSuffix(ms, zone) : '';
	if (!ownFormatting(locale)) return cached(`d:${locale}:${zone}`, () => new Intl.DateTimeFormat(intlLocale(locale), options)).format(ms) + suffix;
	const parts = Object.fromEntries(
		cached(`d:sq:${zone}`, () => new Intl.DateTimeFormat('en', options))
			.formatToParts(ms)
			.map((p) => [p.type, p.value])
	);
	const month = m.calendar_months().split(',')[Number(parts.month) - 1];
	return m.calendar_date_time({ day: parts.day, month, year: parts.year, time: `${parts.hour}:${parts.minute}` }) + suffix;
}

/** "18:00" in the reader's zone (the same in every language the network uses). */
export function formatTime(ms: number, { zoneNamed = false }: { zoneNamed?: boolean } = {}): string {
	const zone = readerZone();
	const clock = cached(`t:${zone}`, () => new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }));
	return clock.format(ms) + (zoneNamed ? zoneSuffix(ms, zone) : '');
}

/** "2026-03-20": the calendar day of `ms` in the reader's zone. */
export function dayOf(ms: number): string {
	const zone = readerZone();
	return cached(`y:${zone}`, () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone })).format(ms);
}

/** `12,3 MB`: a size on disk, in the reader's number format (the unit symbols are the same in every language). */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${formatNumber(unit === 0 ? value : Math.round(value * 10) / 10)}\u00a0${units[unit]}`;
}
