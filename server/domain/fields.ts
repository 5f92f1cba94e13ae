/**
 * Rules for the network's fields of action: how a new field's address (slug) is made from its name, and how the
 * order moves. Pure; the service loads, decides with these, and persists.
 */

/** A network has at most this many fields (each with its forum space). */
export const MAX_FIELDS = 60;
/** A field's name in any one language. */
export const MAX_FIELD_NAME = 80;
const MAX_SLUG = 48;

/** Words that are routes under /forum/ already, or would read as one. */
const RESERVED = new Set(['t', 'p', 'new', 'search']);

const GREEK: Record<string, string> = {
	α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
	ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o'
};

/**
 * The address part made from a name: lower case, accents dropped (ë → e, ά → α), Greek letters in Latin, anything
 * else a single hyphen. Empty when the name has no letter or digit we can write.
 */
export function slugify(name: string): string {
	const plain = name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/./gu, (ch) => GREEK[ch] ?? ch);
	return plain
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, MAX_SLUG)
		.replace(/-+$/, '');
}

/** The first free slug for `name` (-2, -3, … when taken), never one of the reserved route words. */
export function freeSlug(name: string, taken: (slug: string) => boolean): string {
	const base = slugify(name) || 'field';
	for (let n = 1; ; n++) {
		const candidate = n === 1 ? base : `${base.slice(0, MAX_SLUG - String(n).length - 1)}-${n}`;
		if (!RESERVED.has(candidate) && !taken(candidate)) return candidate;
	}
}

/**
 * The order after moving `id` one place up or down among `ids` (in their current order); unchanged at either end.
 * Positions are the index + 1, so they stay dense.
 */
export function moveInOrder(ids: number[], id: number, direction: 'up' | 'down'): number[] {
	const at = ids.indexOf(id);
	const to = direction === 'up' ? at - 1 : at + 1;
	if (at < 0 || to < 0 || to >= ids.length) return ids;
	const next = [...ids];
	[next[at], next[to]] = [next[to], next[at]];
	return next;
}
