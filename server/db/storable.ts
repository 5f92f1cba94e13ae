import { withoutNul } from '../domain/validation.js';

/**
 * The parameters of a statement as the database may store them: every string without NUL (withoutNul). Applied by
 * both drivers to every statement (client.ts for SQLite, the pool in dialect/postgres.ts), so that a NUL typed into
 * any title, body, name, comment or search query neither fails the statement on PostgreSQL ("invalid byte sequence
 * for encoding UTF8: 0x00") nor is kept on SQLite. The same array when nothing needs cleaning (nearly always).
 */
export function storableParameters<T extends readonly unknown[]>(parameters: T): T {
	let out: unknown[] | null = null;
	for (let i = 0; i < parameters.length; i++) {
		const value = parameters[i];
		if (typeof value !== 'string' || !value.includes('\0')) continue;
		out ??= [...parameters];
		out[i] = withoutNul(value);
	}
	return (out ?? parameters) as T;
}
