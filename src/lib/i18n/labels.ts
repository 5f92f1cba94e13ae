import { page } from '$app/state';
import { m } from '$lib/paraglide/messages';
import type { Locale, Role } from '$lib/shared/types';

// Every page loads this module (the language switcher names the languages), and every message it names in three
// languages with it: labels that only some pages show live beside them ($lib/groups/labels.ts, ...).

/**
 * A field of action's name in the reader's language. Fields are the network's data: the root layout loads their
 * names once per request (in the reader's language, falling back to the network's primary one) and this reads them
 * from the page data, so it works while a component renders, on the server as in the browser.
 */
export const fieldName = (slug: string): string => (page.data.fieldNames as Record<string, string> | undefined)?.[slug] ?? slug;

const ROLE: Record<Role, () => string> = { member: m.role_member, moderator: m.role_moderator, coordinator: m.role_coordinator };
export const roleName = (role: Role) => ROLE[role]();

/** Each language named in itself (the same in every catalogue), so anyone can find their own. */
const LANGUAGE: Record<Locale, () => string> = { sq: m.language_name_sq, en: m.language_name_en, el: m.language_name_el };
export const languageName = (locale: Locale) => LANGUAGE[locale]();
