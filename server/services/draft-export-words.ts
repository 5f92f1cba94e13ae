import { m } from '../../src/lib/paraglide/messages.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { BilingualOptions } from '../render/pdf-bilingual.renderer.js';

type L = { locale: Locale };
const NAME: Record<Locale, (i: object, o: L) => string> = { sq: m.language_name_sq, en: m.language_name_en, el: m.language_name_el };

/**
 * The words around a side-by-side PDF, in the reader's language (it is rendered in a worker, which has no request
 * to take a language from): the columns' heads and what a paragraph not up to date is marked with.
 */
export function besideWords(reader: Locale, source: Locale, translation: Locale): { columns: [string, string]; marks: BilingualOptions['marks'] } {
	const o = { locale: reader };
	return {
		columns: [m.lng_original_column({ language: NAME[source]({}, o) }, o), m.lng_translation_column({ language: NAME[translation]({}, o) }, o)],
		marks: { missing: m.drafts_export_not_translated({}, o), outdated: m.drafts_export_outdated({}, o), unconfirmed: m.lng_unconfirmed({}, o) }
	};
}
