import { getLocale } from '$lib/paraglide/runtime';

/** Dates and numbers in the reader's language (sq, en, el). */
export const formatNumber = (n: number) => new Intl.NumberFormat(getLocale()).format(n);
export const formatDateTime = (ms: number) =>
	new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
