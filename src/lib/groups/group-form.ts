import { LOCALES, type Locale } from '$lib/shared/types';

/** What the group form sends, kept as typed so a refused form shows it again. */
export interface GroupFormValues {
	name: string;
	kind: string;
	city: string;
	description: Partial<Record<Locale, string>>;
	joinPolicy: string;
	visibility: string;
	facilitators: string[];
}

const text = (data: FormData, key: string) => {
	const v = data.get(key);
	return typeof v === 'string' ? v : '';
};

/** Reads the group form (one description input per language: `description_sq`, `description_en`, `description_el`). */
export function readGroupForm(data: FormData): GroupFormValues {
	return {
		name: text(data, 'name'),
		kind: text(data, 'kind'),
		city: text(data, 'city'),
		description: Object.fromEntries(LOCALES.map((l) => [l, text(data, `description_${l}`)])),
		joinPolicy: text(data, 'joinPolicy'),
		visibility: text(data, 'visibility'),
		facilitators: data.getAll('facilitators').filter((v): v is string => typeof v === 'string')
	};
}

/** The service's input: facilitators as ids (anything else is no one, which the service reports). */
export const groupInput = (v: GroupFormValues) => ({ ...v, facilitators: v.facilitators.map((id) => (/^\d{1,9}$/.test(id) ? Number(id) : 0)) });
