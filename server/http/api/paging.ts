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

const isKey = (v: unknown): v is string | number => typeof v === 'string' || Number.isSafeInteger(v);

/**
 * A page of a list the service gives whole (bounded there), in the service's order: the items after the one whose
 * key the cursor names. A cursor naming an item no longer in the list (deleted, or no longer readable) is a 400.
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
