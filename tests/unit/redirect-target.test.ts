import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from '../../src/lib/server/forms.js';

// Before normalisation, '/\t/evil.example' (a browser drops the tab: '//evil.example') was accepted, and
// '/%0d%0a' decoded to a line break made the redirect's Location header throw: a 500.
describe('safeRedirectTarget against hostile input', () => {
	const hostile = [
		'//evil.example',
		'/\\evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'/\r\nSet-Cookie: a=b',
		'\t//evil.example',
		' /forum',
		'%2F%2Fevil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'/\u0000/evil.example',
		'https://evil.example/',
		'http:/evil.example',
		'\\\\evil.example',
		'',
		null,
		undefined
	];
	it.each(hostile.map((value) => [JSON.stringify(value), value]))('refuses %s', (_, value) => {
		expect(safeRedirectTarget(value, '/')).toBe('/');
	});

	it('keeps paths on this site, spelled as a browser would send them', () => {
		expect(safeRedirectTarget('/forum?x=1#p3')).toBe('/forum?x=1#p3');
		expect(safeRedirectTarget('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
		expect(safeRedirectTarget('/drafts/../forum')).toBe('/forum');
		expect(safeRedirectTarget('/πολιτική')).toBe('/%CF%80%CE%BF%CE%BB%CE%B9%CF%84%CE%B9%CE%BA%CE%AE');
	});
});
