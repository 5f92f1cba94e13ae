import { describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime.js';
import { formatDateTime, formatNumber } from '../../src/lib/i18n/format.js';
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
		expect(formatDateTime(at)).toBe('November 22, 2026 at 15:05');
		overwriteGetLocale(() => 'el');
		expect(formatDateTime(at)).toMatch(/^22 Νοεμβρίου 2026/);
		expect(formatNumber(12345.5)).toBe('12.345,5');
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
