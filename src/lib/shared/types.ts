/** Isomorphic vocabulary shared by the server and the browser. */

export const LOCALES = ['sq', 'en', 'el'] as const;
export type Locale = (typeof LOCALES)[number];
export const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

export const ROLES = ['member', 'moderator', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['applicant', 'active', 'suspended', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const GROUP_KINDS = [
	'city_cluster',
	'meta_cluster',
	'alliance',
	'consortium',
	'research_community',
	'working_group',
	'other'
] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** What the UI knows of the signed-in member. */
export interface Viewer {
	id: number;
	displayName: string;
	email: string;
	role: Role;
	status: UserStatus;
	locale: Locale;
	/** The zone they chose (IANA name); null: their browser's. */
	timeZone: string | null;
}
