import type { Locale } from './types.js';

/** The network's texts, each in three languages, with the longest each language may be. */
export const PROFILE_TEXTS = {
	name: 120,
	short_name: 30,
	tagline: 300,
	about: 3000,
	goals: 2000,
	founded: 300
} as const;
export type ProfileText = keyof typeof PROFILE_TEXTS;
export const PROFILE_TEXT_KEYS = Object.keys(PROFILE_TEXTS) as ProfileText[];

/** Goals are one a line; at most this many. */
export const MAX_GOALS = 12;
export const MAX_WEBSITE = 300;
export const MAX_CONTACT_EMAIL = 254;
/** A logo is at most 1 MB (decimal, as people read file sizes). */
export const MAX_LOGO_BYTES = 1_000_000;

/** The product's own name: what pages show for the network until it has a profile. */
export const PRODUCT_NAME = 'Kuvend';

/** Where the network's logo is served (server/http/network-logo.ts); one address, revalidated by its ETag. */
export const LOGO_PATH = '/network/logo';

/** The network's profile as a reader sees it in one language (empty languages fell back to the primary one). */
export interface NetworkView {
	/** The network's name, or the product's while the network has none. */
	name: string;
	/** The short name, else the name. */
	shortName: string;
	/** Whether the network has a profile with a name (else pages show neutral texts). */
	named: boolean;
	tagline: string;
	about: string;
	goals: string[];
	founded: string;
	contactEmail: string | null;
	website: string | null;
	/** The logo's address with its version, or null. */
	logoUrl: string | null;
	primaryLocale: Locale;
}
