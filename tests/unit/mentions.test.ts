import { describe, expect, it } from 'vitest';
import { nameKey, nameMatch } from '../../server/domain/name-match.js';
import { decodeMentioned, encodeMentioned, toDisplay, toStored } from '../../src/lib/shared/mentions.js';

describe('names across scripts', () => {
	it('gives two spellings of one name one key', () => {
		const pairs = [
			['Arben', 'Αρμπεν'],
			['Maria Georgiou', 'Μαρία Γεωργίου'],
			['Nikos Papadopoulos', 'Νίκος Παπαδόπουλος'],
			['Vasilis Tsakalos', 'Βασίλης Τσάκαλος'],
			['Ilir Gjoni', 'Ιλίρ Γκιόνι'],
			['Blerina Shehu', 'Μπλερίνα Σέχου'],
			['Anna', 'Άννα'],
			['Ëndrit Çela', 'endrit cela']
		];
		for (const [latin, greek] of pairs) expect(nameKey(latin), `${latin} / ${greek}`).toBe(nameKey(greek));
		expect(nameKey('Arben')).not.toBe(nameKey('Arta'));
	});

	it('ranks the name’s start, then a later word, then the email’s local part; anything else is no match', () => {
		expect(nameMatch(nameKey('arb'), 'Arben Krasniqi', 'member1')).toBe(0);
		expect(nameMatch(nameKey('Κρασ'), 'Arben Krasniqi', 'member1')).toBe(1);
		expect(nameMatch(nameKey('member1'), 'Arben Krasniqi', 'member1')).toBe(2);
		expect(nameMatch(nameKey('rben'), 'Arben Krasniqi', 'member1')).toBeNull();
		expect(nameMatch('', 'Arben Krasniqi', 'member1')).toBeNull();
	});
});

describe('mentions between the text box and the stored post', () => {
	const stored = 'Pyetje për @[Maria Georgiou](member:3) dhe @[Ana](member:9): po `@[X](member:4)`?';

	it('shows @Name and rebuilds the stored form from who the names are', () => {
		const { text, people } = toDisplay(stored);
		expect(text).toBe('Pyetje për @Maria Georgiou dhe @Ana: po `@X`?');
		expect(people).toEqual([
			{ id: 3, name: 'Maria Georgiou' },
			{ id: 9, name: 'Ana' },
			{ id: 4, name: 'X' }
		]);
		expect(toStored(text, decodeMentioned(encodeMentioned(people)))).toBe(stored);
	});

	it('makes a mention only of a name standing as a word of its own, longest name first', () => {
		const people = [
			{ id: 1, name: 'Ana' },
			{ id: 2, name: 'Ana Maria' }
		];
		expect(toStored('@Ana Maria, @Ana, ana@Ana.com, @Anakin', people)).toBe('@[Ana Maria](member:2), @[Ana](member:1), ana@Ana.com, @Anakin');
	});

	it('reads a malformed or oversized field as naming nobody', () => {
		expect(decodeMentioned('not json')).toEqual([]);
		expect(decodeMentioned(JSON.stringify([[0, 'Zero'], [-1, 'Minus'], [2, 'Bad]name'], ['3', 'String id'], [5, 'Fine']]))).toEqual([{ id: 5, name: 'Fine' }]);
		expect(decodeMentioned(JSON.stringify(Array.from({ length: 2000 }, (_, i) => [i + 1, `N${i}`])))).toEqual([]);
	});
});
