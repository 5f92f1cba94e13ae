import { describe, expect, it } from 'vitest';
import { checkLogo, checkProfile, goalsOf, sanitiseSvg, sniffImage, type ProfileInput } from '../../server/domain/network-profile.js';
import { MAX_LOGO_BYTES } from '../../src/lib/shared/network.js';

const input = (over: Partial<ProfileInput> = {}, texts: Partial<ProfileInput['texts']> = {}): ProfileInput => ({
	texts: { name: { sq: 'Rrjeti', en: '', el: '' }, short_name: {}, tagline: {}, about: {}, goals: {}, founded: {}, ...texts },
	contactEmail: '',
	website: '',
	primaryLocale: 'sq',
	...over
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('checkProfile', () => {
	it('accepts a profile and keeps only the languages with words', () => {
		const result = checkProfile(input({ contactEmail: ' Info@Rrjeti.al ', website: 'https://rrjeti.al' }));
		expect(result).toEqual({
			profile: expect.objectContaining({ contactEmail: 'info@rrjeti.al', website: 'https://rrjeti.al/', primaryLocale: 'sq' })
		});
		if ('profile' in result) expect(result.profile.texts.name).toEqual({ sq: 'Rrjeti', en: '', el: '' });
	});

	it('names each field it refuses', () => {
		const result = checkProfile(
			input(
				{ contactEmail: 'not an address', website: 'javascript:alert(1)', primaryLocale: 'de' },
				{ about: { en: 'x'.repeat(3001) }, goals: { el: Array.from({ length: 13 }, (_, i) => `goal ${i}`).join('\n') } }
			)
		);
		expect(result).toEqual({
			problems: { contact_email: 'email_invalid', website: 'url_invalid', primary_locale: 'choose_one', about_en: 'too_long', goals_el: 'too_long' }
		});
	});

	it('asks for a name in some language, and refuses a site that is not http(s)', () => {
		expect(checkProfile(input({ primaryLocale: 'en' }, { name: { sq: ' ', en: '', el: '' } }))).toEqual({ problems: { name_en: 'required' } });
		expect(checkProfile(input({ website: 'ftp://rrjeti.al' }))).toEqual({ problems: { website: 'url_invalid' } });
		expect(checkProfile(input({ website: `https://rrjeti.al/${'a'.repeat(300)}` }))).toEqual({ problems: { website: 'too_long' } });
	});

	it('reads goals one a line', () => {
		expect(goalsOf(' first \r\n\n second\n')).toEqual(['first', 'second']);
	});
});

describe('logos', () => {
	it('knows PNG and JPEG by their bytes, SVG by its opening element, and nothing else', () => {
		expect(sniffImage(PNG)).toBe('image/png');
		expect(sniffImage(JPEG)).toBe('image/jpeg');
		expect(sniffImage(Buffer.from('\uFEFF<?xml version="1.0"?>\n<!-- a logo -->\n<!DOCTYPE svg>\n<svg viewBox="0 0 1 1"/>'))).toBe('image/svg+xml');
		expect(sniffImage(Buffer.from('<html><body><svg/></body></html>'))).toBeNull();
		expect(sniffImage(Buffer.from('GIF89a'))).toBeNull();
		expect(sniffImage(Buffer.from([0xff, 0xfe, 0x3c, 0x00]))).toBeNull();
	});

	it('refuses a file over 1 MB and a file of another type, whatever its name', () => {
		expect(checkLogo(Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES)]))).toEqual({ ok: false, problem: 'logo_too_large' });
		expect(checkLogo(Buffer.from('<!doctype html><script>alert(1)</script>'))).toEqual({ ok: false, problem: 'logo_type' });
		expect(checkLogo(PNG)).toEqual({ ok: true, type: 'image/png', bytes: PNG });
	});

	// Shown to fail without the sanitiser: with checkLogo keeping an SVG's bytes as uploaded, this test failed (the
	// script, onload, javascript: link, foreignObject and outside href all came back).
	it('keeps the drawing of an SVG and drops what runs or fetches', () => {
		const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
			<script>alert(2)</script>
			<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>
			<a href="javascript:alert(3)"><rect width="10" height="10" fill="url(#g)" onclick="alert(4)"/></a>
			<foreignObject><iframe src="https://evil.example"></iframe><p>html</p></foreignObject>
			<use xlink:href="https://evil.example/x.svg#a"/><use href="#g"/>
			<image href="data:image/png;base64,AAAA"/>
			<circle r="1" fill="url(https://evil.example/p)" style="background:url(https://evil.example)"/>
		</svg>`;
		const result = checkLogo(Buffer.from(svg));
		expect(result.ok).toBe(true);
		const clean = result.ok ? result.bytes.toString('utf8') : '';
		expect(clean).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
		expect(clean).toContain('viewBox="0 0 10 10"');
		expect(clean).toContain('fill="url(#g)"');
		expect(clean).toContain('<use href="#g">');
		expect(clean).not.toMatch(/script|alert|onload|onclick|javascript:|foreignObject|iframe|evil\.example|data:|<image|style=|html/i);
	});

	it('gives the root its namespace, and nothing when no svg element is left', () => {
		expect(sanitiseSvg('<svg><script>alert(1)</script></svg>')).toBe('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
		expect(sanitiseSvg('<p>no drawing</p>')).toBeNull();
	});
});
