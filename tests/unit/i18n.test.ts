import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { m } from '../../src/lib/paraglide/messages.js';
import { LOCALES } from '../../src/lib/shared/types.js';

const dir = path.resolve('src/lib/i18n/messages');
const catalogue = (locale: string) => JSON.parse(fs.readFileSync(path.join(dir, `${locale}.json`), 'utf8')) as Record<string, unknown>;

describe('message catalogues', () => {
	it('have the same keys in Albanian, English and Greek', () => {
		const sq = Object.keys(catalogue('sq')).sort();
		for (const locale of LOCALES) expect(Object.keys(catalogue(locale)).sort()).toEqual(sq);
	});

	it('hold no empty message', () => {
		for (const locale of LOCALES) {
			for (const [key, value] of Object.entries(catalogue(locale))) expect(value, `${locale}.${key}`).toBeTruthy();
		}
	});

	// Paraglide only warns when it cannot load its plugin and then emits no messages: this catches that.
	it('compiled to messages that render in each language', () => {
		expect(m.nav_forum({}, { locale: 'sq' })).toBe('Forumi');
		expect(m.nav_forum({}, { locale: 'en' })).toBe('Forum');
		expect(m.nav_forum({}, { locale: 'el' })).toBe('Φόρουμ');
	});

	it('pluralises by language', () => {
		expect(m.group_member_count({ count: 1 }, { locale: 'en' })).toBe('1 member');
		expect(m.group_member_count({ count: 3 }, { locale: 'en' })).toBe('3 members');
		expect(m.group_member_count({ count: 1 }, { locale: 'sq' })).toBe('1 anëtar');
		expect(m.group_member_count({ count: 5 }, { locale: 'el' })).toBe('5 μέλη');
	});
});
