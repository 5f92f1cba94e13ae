import { createHash } from 'node:crypto';
import type { Locale } from '../../src/lib/shared/types.js';

/** The hash a translated block is confirmed against: SHA-256 of its source paragraph's text, whitespace collapsed. */
export function paragraphHash(text: string): string {
	return createHash('sha256').update(text.replace(/\s+/gu, ' ').trim()).digest('hex');
}

/** The languages a draft written in `source` may still be translated into. */
export function addableLanguages(all: readonly Locale[], source: Locale, have: readonly Locale[]): Locale[] {
	return all.filter((l) => l !== source && !have.includes(l));
}

/**
 * Whether a draft may be frozen with its translations as they are: refused while any has paragraphs to update,
 * unless the steward says they freeze it so (recorded with the counts). Null when it may be frozen.
 */
export function freezeProblem(toUpdate: { lang: Locale; count: number }[], confirmed: boolean): 'translations_outdated' | null {
	return toUpdate.some((t) => t.count > 0) && !confirmed ? 'translations_outdated' : null;
}
