import { GROUP_KINDS, LOCALES, type GroupKind } from '../../src/lib/shared/types.js';
import { localizedSchema, storeLocalized, type Localized } from '../../src/lib/shared/localized.js';
import type { Visibility } from './forum.js';
import { checkText, collect, slugify, type Problems } from './validation.js';

/** Pure rules for groups as coordinators write them. */

export const MAX_GROUP_NAME = 120;
export const MAX_GROUP_CITY = 100;
export const MAX_GROUP_DESCRIPTION = 2000;
export const MAX_FACILITATORS = 20;
/** How many members the form offers as facilitators. */
export const MAX_FACILITATOR_CHOICES = 500;
export const GROUP_VISIBILITIES = ['public', 'members', 'group'] as const satisfies readonly Visibility[];

/** What the group form sends, as typed. */
export interface GroupInput {
	name: string;
	kind: string;
	city: string;
	description: Localized;
	joinPolicy: string;
	visibility: string;
	facilitators: number[];
}

export interface GroupValues {
	name: string;
	kind: GroupKind;
	city: string | null;
	/** Stored three-language JSON. */
	description: string;
	joinPolicy: 'open' | 'request';
	visibility: Visibility;
	facilitators: number[];
}

const isOneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/** Checks a group's form; the problems are keyed by form field (`description_en`, …). */
export function checkGroup(input: GroupInput): { problems: Problems; values: GroupValues | null } {
	const problems: Problems = collect({
		name: checkText(input.name, { max: MAX_GROUP_NAME }),
		city: checkText(input.city, { required: false, max: MAX_GROUP_CITY }),
		kind: isOneOf(GROUP_KINDS, input.kind) ? null : 'choose_one',
		joinPolicy: input.joinPolicy === 'open' || input.joinPolicy === 'request' ? null : 'choose_one',
		visibility: isOneOf(GROUP_VISIBILITIES, input.visibility) ? null : 'choose_one',
		facilitators: input.facilitators.length > MAX_FACILITATORS ? 'too_long' : null
	});
	const description = localizedSchema(MAX_GROUP_DESCRIPTION).safeParse(input.description);
	if (!description.success) {
		for (const issue of description.error.issues) {
			const locale = issue.path[0];
			if (typeof locale === 'string' && isOneOf(LOCALES, locale)) problems[`description_${locale}`] = 'too_long';
		}
	}
	if (Object.keys(problems).length || !description.success) return { problems, values: null };
	return {
		problems,
		values: {
			name: input.name.trim().replace(/\s+/g, ' '),
			kind: input.kind as GroupKind,
			city: input.city.trim() || null,
			description: storeLocalized(description.data),
			joinPolicy: input.joinPolicy as 'open' | 'request',
			visibility: input.visibility as Visibility,
			facilitators: [...new Set(input.facilitators)]
		}
	};
}

/** Two names name the same group when they differ only in case, accents' composition or spacing. */
export const sameGroupName = (a: string, b: string) => fold(a) === fold(b);
const fold = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** The first of `base`, `base-2`, `base-3`, … that `taken` does not hold. */
export function freeSlug(name: string, taken: (slug: string) => boolean): string {
	const base = slugify(name, 'group');
	let slug = base;
	for (let n = 2; taken(slug); n++) slug = `${base}-${n}`;
	return slug;
}
