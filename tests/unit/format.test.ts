import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime.js';
import { formatDateTime, formatNumber } from '../../src/lib/i18n/format.js';
import { timeRange } from '../../src/lib/meetings/labels.js';
import { localDateTime } from '../../src/lib/votes/form.js';
import { isTimeZone, overwriteGetTimeZone } from '../../src/lib/shared/time.js';
import { describeUserAgent } from '../../src/lib/shared/user-agent.js';

const at = Date.UTC(2026, 10, 22, 14, 5); // 22 November 2026, 15:05 in Tirana

describe('localised formatting', () => {
	it('formats Albanian from the catalogue, the same on server and browser', () => {
		overwriteGetLocale(() => 'sq');
		expect(formatDateTime(at)).toBe('22 nëntor 2026, ora 15:05');
		expect(formatNumber(12345.5)).toBe('12\u00a0345,5');
	});

	it('formats English and Greek with Intl in the network time zone', () => {
		overwriteGetLocale(() => 'en');
		// English in a European style, on the 24-hour clock.
		expect(formatDateTime(at)).toBe('22 November 2026 at 15:05');
		overwriteGetLocale(() => 'el');
		expect(formatDateTime(at)).toMatch(/^22 Νοεμβρίου 2026/);
		expect(formatNumber(12345.5)).toBe('12.345,5');
	});
});

describe('times in the reader’s zone (issue #17 point 2)', () => {
	afterEach(() => overwriteGetTimeZone(() => undefined));

	it('shows a reader in Arta the hour of Arta, and names the zone, for a meeting at 10:00 in Tirana', () => {
		const meeting = Date.UTC(2026, 11, 10, 9, 0); // 10:00 in Tirana, 11:00 in Arta
		overwriteGetLocale(() => 'el');
		overwriteGetTimeZone(() => 'Europe/Athens');
		expect(formatDateTime(meeting)).toMatch(/^10 Δεκεμβρίου 2026.* 11:00 \(GMT\+2\)$/);
		expect(timeRange(meeting, meeting + 90 * 60_000)).toMatch(/ 11:00 – 12:30 \(GMT\+2\)$/);
		overwriteGetLocale(() => 'sq');
		overwriteGetTimeZone(() => 'Europe/Tirane');
		expect(formatDateTime(meeting)).toBe('10 dhjetor 2026, ora 10:00');
	});

	it('reads a form’s wall-clock time in the zone the form was shown in', () => {
		overwriteGetTimeZone(() => 'Europe/Athens');
		expect(localDateTime('2026-12-10T11:00')).toBe(Date.UTC(2026, 11, 10, 9, 0));
		overwriteGetTimeZone(() => 'Europe/Tirane');
		expect(localDateTime('2026-12-10T11:00')).toBe(Date.UTC(2026, 11, 10, 10, 0));
	});

	it('takes only zone names the runtime knows', () => {
		expect(isTimeZone('Europe/Athens')).toBe(true);
		for (const bad of ['', 'Europe/Atlantis', '+01:00', '../../etc/passwd', 'x'.repeat(80), 42, null]) expect(isTimeZone(bad)).toBe(false);
	});
});

describe('describeUserAgent', () => {
	it('names common browsers and systems', () => {
		expect(
			describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/159.0 Safari/537.36')
		).toEqual({ browser: 'Chrome', os: 'Windows' });
		expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1')).toEqual({
			browser: 'Safari',
			os: 'iOS'
		});
		expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0')).toEqual({ browser: 'Firefox', os: 'Linux' });
		expect(describeUserAgent('curl/8.0')).toBeNull();
		expect(describeUserAgent(null)).toBeNull();
	});
});
