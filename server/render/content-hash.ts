import { createHash } from 'node:crypto';
import type { PmNode } from './prosemirror-json.js';

// Keys sorted at every level, so two equal documents serialise (and hash) the same whatever order their
// attributes were set in.
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** SHA-256 (hex) of the content in a canonical serialisation. */
export function contentHash(json: PmNode): string {
	return createHash('sha256').update(canonical(json)).digest('hex');
}
