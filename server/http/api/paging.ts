import { DomainError } from '../../../src/lib/shared/errors.js';

/** An opaque cursor: the position a page ended at, as base64url JSON (clients pass it back unchanged). */
export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The position a cursor names, checked by `valid`; a cursor that is not one of ours is a 400, never a crash. */
export function decodeCursor<T>(cursor: string | undefined, valid: (v: unknown) => v is T): T | undefined {
	if (cursor === undefined) return undefined;
	let position: unknown;
	try {
		position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
	} catch {
		position = undefined;
	}
	if (!valid(position)) throw new DomainError('invalid_input', 'not a cursor of this list', { cursor: 'invalid' });
	return position;
}

/** A cursor naming a position of one number (an id, a version's number). */
export const isNumber = (v: unknown): v is number => Number.isSafeInteger(v);
/** A cursor naming a position of two numbers (a time, then an id). */
export const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(Number.isSafeInteger);

/**
 * A page of a list the service reads from a position on (keyset paging), asked for one row more than the page holds:
 * that row only tells that a next page exists. The cursor names where the page's last row stands, so the next page
 * goes on from there even if that row has gone since.
 */
export function keysetPage<R, T>(rows: R[], limit: number, position: (row: R) => unknown, view: (row: R) => T): { data: T[]; next: string | null } {
	const data = rows.slice(0, limit);
	return { data: data.map(view), next: rows.length > limit ? encodeCursor(position(data.at(-1)!)) : null };
}

const isKey = (v: unknown): v is string | number => typeof v === 'string' || Number.isSafeInteger(v);

/**
 * A page of a short list the service gives whole (spaces, organisations, groups, fields), in the service's order: the
 * items after the one whose key the cursor names. A cursor naming an item no longer in the list (deleted, or no
 * longer readable) is a 400.
 */
export function pageAfter<T>(items: T[], key: (item: T) => string | number, cursor: string | undefined, limit: number): { data: T[]; next: string | null } {
	const after = decodeCursor(cursor, isKey);
	let start = 0;
	if (after !== undefined) {
		const at = items.findIndex((item) => key(item) === after);
		if (at < 0) throw new DomainError('invalid_input', 'the cursor’s item is no longer in this list', { cursor: 'stale' });
		start = at + 1;
	}
	const data = items.slice(start, start + limit);
	return { data, next: start + limit < items.length ? encodeCursor(key(data.at(-1)!)) : null };
}
