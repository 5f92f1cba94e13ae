/**
 * @mentions as people write them and as posts store them. A post stores `@[Maria Georgiou](member:3)` (the server
 * renders it as a link and notifies member 3); the text box shows `@Maria Georgiou` and the form sends, beside the
 * text, who each shown name is. The two are converted at the edges: toDisplay when a text box is filled, toStored
 * when its text is sent (in the browser as it is typed, on the server for a form sent without JavaScript).
 */

export interface MentionedPerson {
	id: number;
	name: string;
}

/** The most people one text's mentions name, and the longest form field that lists them. */
export const MAX_MENTIONED = 50;
export const MAX_MENTIONS_FIELD = 10_000;

// As server/services/markdown.ts reads a mention: a name without brackets or line breaks, a positive id.
const STORED = /@\[([^[\]\n]{1,100})\]\(member:([1-9]\d{0,14})\)/g;
const NAME = /^[^[\]\n]{1,100}$/;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text as the person sees it (`@Name`) and who each name is. */
export function toDisplay(stored: string): { text: string; people: MentionedPerson[] } {
	const people = new Map<string, number>();
	const text = stored.replace(STORED, (_, name: string, id: string) => {
		const shown = name.trim();
		if (people.size < MAX_MENTIONED || people.has(shown)) people.set(shown, Number(id));
		return `@${shown}`;
	});
	return { text, people: [...people].map(([name, id]) => ({ id, name })) };
}

/**
 * The text as posts store it: each `@Name` of a known person, standing as a word of its own (not inside an email
 * address or a longer word), becomes their stored mention. Longer names first, so "@Ana Maria" is not read as "@Ana".
 */
export function toStored(text: string, people: readonly MentionedPerson[]): string {
	const known = new Map<string, number>();
	for (const p of people.slice(0, MAX_MENTIONED)) {
		const name = p.name.trim();
		if (NAME.test(name) && Number.isSafeInteger(p.id) && p.id > 0) known.set(name, p.id);
	}
	if (!known.size) return text;
	const names = [...known.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
	const re = new RegExp(`(^|[^\\p{L}\\p{N}_@.])@(${names.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
	return text.replace(re, (_, before: string, name: string) => `${before}@[${name}](member:${known.get(name)})`);
}

/** Who the mentions are, as the form field carries them: `[[id, "Name"], …]`. */
export function encodeMentioned(people: readonly MentionedPerson[]): string {
	return JSON.stringify(people.slice(0, MAX_MENTIONED).map((p) => [p.id, p.name]));
}

/** Reads the form field back; anything malformed names nobody (the text stays as typed). */
export function decodeMentioned(field: string): MentionedPerson[] {
	if (!field || field.length > MAX_MENTIONS_FIELD) return [];
	try {
		const list: unknown = JSON.parse(field);
		if (!Array.isArray(list)) return [];
		return list
			.slice(0, MAX_MENTIONED)
			.filter((e): e is [number, string] => Array.isArray(e) && Number.isSafeInteger(e[0]) && e[0] > 0 && typeof e[1] === 'string' && NAME.test(e[1].trim()))
			.map(([id, name]) => ({ id, name: name.trim() }));
	} catch {
		return [];
	}
}
