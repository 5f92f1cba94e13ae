import { getLocale } from '$lib/paraglide/runtime';
import { PROFILE_TEXT_KEYS, type NetworkView } from '$lib/shared/network';
import { LOCALES } from '$lib/shared/types';
import type { CalendarOrganiser } from '../../../server/services/calendar.js';
import type { ProfileInput } from '../../../server/domain/network-profile.js';
import type { LogoChange } from '../../../server/services/network-profile.service.js';
import { appContext } from './context';
import { formValues } from './forms';

/** The network's profile in the request's language (kept in memory by the service: no query). */
export const networkView = (): NetworkView => appContext().services.profile.view(getLocale());

/** The network as the organiser of its meetings in calendar files. */
export function calendarOrganiser(): CalendarOrganiser {
	const { name, contactEmail } = networkView();
	return { name, email: contactEmail };
}

/** The form's field names: each text in each language (`name_sq`, ...), then contact, website and language. */
export const PROFILE_FORM_KEYS = [
	...PROFILE_TEXT_KEYS.flatMap((key) => LOCALES.map((locale) => `${key}_${locale}` as const)),
	'contact_email',
	'website',
	'primary_locale'
] as const;
export type ProfileFormValues = Record<(typeof PROFILE_FORM_KEYS)[number], string>;

/** The profile form's values, and the logo change it asks for (an uploaded file, removal, or keep). */
export async function readProfileForm(data: FormData): Promise<{ values: ProfileFormValues; input: ProfileInput; logo: LogoChange }> {
	const values = formValues(data, PROFILE_FORM_KEYS);
	const texts = Object.fromEntries(
		PROFILE_TEXT_KEYS.map((key) => [key, Object.fromEntries(LOCALES.map((locale) => [locale, values[`${key}_${locale}`]]))])
	) as ProfileInput['texts'];
	const file = data.get('logo');
	const logo: LogoChange =
		file instanceof File && file.size > 0
			? { kind: 'upload', bytes: Buffer.from(await file.arrayBuffer()) }
			: data.get('remove_logo') === 'on'
				? { kind: 'remove' }
				: { kind: 'keep' };
	return { values, input: { texts, contactEmail: values.contact_email, website: values.website, primaryLocale: values.primary_locale }, logo };
}

/** The stored profile as the form's values, for a coordinator (others are refused by the service). */
export function storedProfileForm(auth: App.Locals['auth']): { values: ProfileFormValues; logoUrl: string | null } {
	const draft = appContext().services.profile.draft(auth);
	const values = {
		...Object.fromEntries(PROFILE_TEXT_KEYS.flatMap((key) => LOCALES.map((locale) => [`${key}_${locale}`, draft.texts[key][locale] ?? '']))),
		contact_email: draft.contactEmail,
		website: draft.website,
		primary_locale: draft.primaryLocale
	} as ProfileFormValues;
	return { values, logoUrl: draft.logoUrl };
}
