import { fail } from '@sveltejs/kit';
import { ERROR_CODES, isDomainError, type ErrorCode } from '$lib/shared/errors';
import { DATABASE_AWAY, isDatabaseAwayRefusal } from '$lib/shared/database-away';
import { decodeMentioned, toStored } from '$lib/shared/mentions';
import { appContext } from './context';

/**
 * What a failed form action returns: a code the page turns into a message (failureText), and what the user typed.
 * PostgreSQL out of reach is the refusal 'unavailable' like a full disk, told apart by its own code (DATABASE_AWAY).
 */
export interface FormProblem<V extends object = Record<string, string>> {
	code: ErrorCode | typeof DATABASE_AWAY;
	fields: Record<string, string>;
	values: V;
	/** Which form on the page failed, when a page has several. */
	form?: string;
}

/** Maps a service's DomainError to `fail(status, ...)`, keeping the user's input; rethrows anything else. */
export function failFrom<V extends object>(error: unknown, values: V, form?: string) {
	if (!isDomainError(error)) throw error;
	const code = isDatabaseAwayRefusal(error) ? DATABASE_AWAY : error.code;
	return fail(ERROR_CODES[error.code], { code, fields: error.fields, values, form } satisfies FormProblem<V>);
}

/**
 * Runs a service call for a form action: its result on success, `fail(...)` keeping `values` on a refusal. While
 * the server stops, nothing new starts (a 503 'restarting', the input kept) and what started is waited for.
 */
export async function attempt<T, V extends object>(work: () => Promise<T>, values: V = {} as V, form?: string) {
	try {
		return await appContext().lifecycle.track(work);
	} catch (error) {
		return failFrom(error, values, form);
	}
}

/** Reads string fields from form data; files and missing fields become ''. */
export function formValues<K extends string>(data: FormData, keys: readonly K[]): Record<K, string> {
	return Object.fromEntries(keys.map((k) => [k, typeof data.get(k) === 'string' ? (data.get(k) as string) : ''])) as Record<K, string>;
}

/**
 * A Markdown field written with MarkdownEditor, as posts store it: the text box shows `@Name`, and the
 * `<key>-mentions` field beside it says who each name is (lib/shared/mentions.ts).
 */
export function markdownValue(data: FormData, key: string): string {
	const text = data.get(key);
	const people = data.get(`${key}-mentions`);
	return toStored(typeof text === 'string' ? text : '', decodeMentioned(typeof people === 'string' ? people : ''));
}

/** All string values of a repeated field (checkboxes). */
export function formList(data: FormData, key: string): string[] {
	return data.getAll(key).filter((v): v is string => typeof v === 'string');
}

const HERE = 'http://kuvend.invalid';

/**
 * Only paths on this site may be redirect targets (no open redirects), returned as the browser will read them.
 * Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so "/\t/evil" and "/\\evil"
 * lead off-site: any control character or backslash is refused. The rest is resolved as a URL and kept only if it
 * stays on this origin; the result is percent-encoded, so it always fits in a Location header.
 */
export function safeRedirectTarget(value: string | null | undefined, fallback = '/'): string {
	if (!value?.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
	const url = new URL(value, HERE);
	return url.origin === HERE ? url.pathname + url.search + url.hash : fallback;
}
