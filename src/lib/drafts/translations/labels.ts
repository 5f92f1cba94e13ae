import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/shared/types';

/** A language by its own name (Shqip, English, Ελληνικά). */
export const languageName = (lang: Locale): string => ({ sq: m.language_name_sq, en: m.language_name_en, el: m.language_name_el })[lang]();

/** "in Greek", as a sentence in the reader's language says it. */
export const inLanguage = (lang: Locale): string => ({ sq: m.lng_in_sq, en: m.lng_in_en, el: m.lng_in_el })[lang]();

/** "3 paragraphs to update in Greek", or that it is up to date. */
export const toUpdateText = (lang: Locale, count: number): string =>
	count > 0 ? m.lng_to_update({ count, where: inLanguage(lang) }) : m.lng_up_to_date({ where: inLanguage(lang) });
