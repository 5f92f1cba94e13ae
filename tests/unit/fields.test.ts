import { describe, expect, it } from 'vitest';
import { freeSlug, moveInOrder, slugify } from '../../server/domain/fields.js';

describe('a new field’s address', () => {
	it('is made from its name in any of the three languages', () => {
		expect(slugify('Trashëgimi kulturore')).toBe('trashegimi-kulturore');
		expect(slugify('Çështje & Arte')).toBe('ceshtje-arte');
		expect(slugify('Εικαστικές τέχνες')).toBe('eikastikes-technes');
		expect(slugify('  —  ')).toBe('');
	});

	it('is never taken nor a route word, and has something when the name has no letter', () => {
		const taken = new Set(['music', 'music-2']);
		expect(freeSlug('Music', (s) => taken.has(s))).toBe('music-3');
		expect(freeSlug('T', () => false)).toBe('t-2');
		expect(freeSlug('!!!', () => false)).toBe('field');
		expect(freeSlug('x'.repeat(100), () => false)).toHaveLength(48);
	});
});

describe('reordering', () => {
	it('swaps with the neighbour and leaves the ends alone', () => {
		expect(moveInOrder([1, 2, 3], 2, 'up')).toEqual([2, 1, 3]);
		expect(moveInOrder([1, 2, 3], 2, 'down')).toEqual([1, 3, 2]);
		expect(moveInOrder([1, 2, 3], 1, 'up')).toEqual([1, 2, 3]);
		expect(moveInOrder([1, 2, 3], 3, 'down')).toEqual([1, 2, 3]);
		expect(moveInOrder([1, 2, 3], 9, 'down')).toEqual([1, 2, 3]);
	});
});
