import { z } from 'zod';
import { LOCALES, type Locale } from './types.js';

/**
 * A text the network writes itself (its profile, a field's or a group's name), in any of the three languages.
 * Stored as one JSON column per text; a language left empty falls back to the network's primary language, then to
 * whichever language has words.
 */
export type Localized = Partial<Record<Locale, string>>;

/** The text in `locale`, else in `primary`, else in any language that has one, else ''. */
export function localized(texts: Localized | null | undefined, locale: Locale, primary: Locale): string {
	if (!texts) return '';
	return texts[locale]?.trim() || texts[primary]?.trim() || LOCALES.map((l) => texts[l]?.trim()).find(Boolean) || '';
}

/** Reads a stored column; anything that is not an object of strings reads as no text at all. */
export function parseLocalized(stored: string | null | undefined): Localized {
	if (!stored) return {};
	try {
		const value: unknown = JSON.parse(stored);
		if (!value || typeof value !== 'object') return {};
		const out: Localized = {};
		for (const l of LOCALES) {
			const text = (value as Record<string, unknown>)[l];
			if (typeof text === 'string' && text.trim()) out[l] = text;
		}
		return out;
	} catch {
		return {};
	}
}

/** Writes a column: empty languages are left out, so they fall back. */
export const storeLocalized = (texts: Localized): string => JSON.stringify(parseLocalized(JSON.stringify(texts)));

/** A form's three language inputs (`<name>_sq`, `<name>_en`, `<name>_el`), each bounded; `required` asks for words
 * in at least one language. */
export function localizedSchema(max: number, required = false) {
	const one = z.string().trim().max(max).optional();
	const schema = z.object({ sq: one, en: one, el: one });
	return required
		? schema.refine((t) => LOCALES.some((l) => t[l]), { message: 'required' })
		: schema;
}
