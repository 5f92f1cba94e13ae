import { z } from 'zod';

/**
 * What a connection may show of itself in a co-edited text: its person (name and colour, set by the server from
 * the session, never from what the browser announced) and its cursor. Everything else a browser puts in its
 * awareness state is dropped, so nothing it invents reaches another person's page.
 */
export interface Presence {
	user: { name: string; color: string };
	cursor: z.infer<typeof cursorSchema> | null;
}

/** An announced state longer than this (as JSON) is dropped: a name, a colour and a cursor take a few hundred bytes. */
export const MAX_PRESENCE_BYTES = 2048;

const id = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() });
/** A Yjs relative position as JSON (what y-tiptap's cursor plugin announces for a selection's anchor and head). */
const position = z.object({
	type: id.nullable().optional(),
	tname: z.string().max(64).nullable().optional(),
	item: id.nullable().optional(),
	assoc: z.number().int().min(-1).max(1).optional()
});
const cursorSchema = z.object({ anchor: position, head: position });

/**
 * The state to relay for one announced awareness state, given who holds the connection. `null` passes on a
 * client's goodbye; `undefined` drops the entry. Visitors (`user` null) are not shown at all: they have no name to
 * vouch for, their cursor in a read-only text tells the writers nothing, and any number of them could otherwise
 * fill everyone's "who is here".
 */
export function presenceOf(json: string, user: Presence['user'] | null): Presence | null | undefined {
	if (json.length > MAX_PRESENCE_BYTES) return undefined;
	let state: unknown;
	try {
		state = JSON.parse(json);
	} catch {
		return undefined;
	}
	if (state === null) return null;
	if (!user) return undefined;
	const cursor = cursorSchema.safeParse((state as { cursor?: unknown } | undefined)?.cursor);
	return { user, cursor: cursor.success ? cursor.data : null };
}
