import { fold } from './forum.js';

/**
 * Matching people's names across Albanian, English and Greek spelling: "@Arben", "@arben" and "@Αρμπεν" find Arben
 * Krasniqi; "@Μαρια" and "@maria" find Maria Georgiou. Both sides are folded (case and accents, as search folds them)
 * and then written in one rough Latin spelling, so the comparison is of sounds more than of letters. Pure; no I/O.
 */

// Greek pairs that are one sound, before single letters: μπ is "b" as Αρμπεν is Arben, ου is "u" as in Γιουλι.
const GREEK_PAIRS: [string, string][] = [
	['μπ', 'b'],
	['ντ', 'd'],
	['γκ', 'g'],
	['γγ', 'ng'],
	['τσ', 'c'],
	['τζ', 'xh'],
	['ου', 'u'],
	['αι', 'e'],
	['ει', 'i'],
	['οι', 'i'],
	['υι', 'i'],
	['αυ', 'av'],
	['ευ', 'ev']
];
const GREEK_LETTERS: Record<string, string> = {
	α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'ks',
	ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'i', φ: 'f', χ: 'h', ψ: 'ps', ω: 'o'
};
// Latin spellings of one sound, brought to the form the Greek table writes: "Christos" and "Hristos", "Filip" and
// "Philip", "Georgiou" and "Γεωργίου", "Gjoni" and "Γκιόνι", "Shehu" and "Σέχου" differ in letters, not in sound. Albanian ç and ë are
// already c and e after fold.
const LATIN_PAIRS: [string, string][] = [
	['ph', 'f'],
	['ch', 'h'],
	['kh', 'h'],
	['dh', 'd'],
	['sh', 's'],
	['zh', 'z'],
	['ou', 'u'],
	['ts', 'c'],
	['x', 'ks'],
	['y', 'i'],
	['j', 'i'],
	['w', 'v']
];

function replaceAll(text: string, pairs: [string, string][]): string {
	let out = text;
	for (const [from, to] of pairs) out = out.split(from).join(to);
	return out;
}

/**
 * The form two spellings of one name share: folded, Greek written in Latin letters, a few Latin spellings of one
 * sound made one, doubled letters made single ("Άννα" and "Anna" are "ana"). Anything but letters and digits
 * becomes one space.
 */
export function nameKey(text: string): string {
	const latin = replaceAll(fold(text), GREEK_PAIRS).replace(/[α-ω]/g, (c) => GREEK_LETTERS[c] ?? c);
	return replaceAll(latin, LATIN_PAIRS)
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.replace(/(\p{L})\1+/gu, '$1')
		.trim();
}

/**
 * How well a query matches a person, or null when it does not: 0 when their name starts with it, 1 when a later
 * word of the name does, 2 when their email's local part (or a word of it) does. The email itself is only read
 * here, never shown.
 */
export function nameMatch(queryKey: string, name: string, emailLocalPart: string): number | null {
	if (!queryKey) return null;
	const key = nameKey(name);
	if (key.startsWith(queryKey)) return 0;
	if (key.split(' ').some((_, i, words) => words.slice(i).join(' ').startsWith(queryKey))) return 1;
	const local = nameKey(emailLocalPart);
	if (local.split(' ').some((_, i, words) => words.slice(i).join(' ').startsWith(queryKey))) return 2;
	return null;
}
