import type { Db } from '../db/client.js';
import type { CategoryWithOwner } from '../db/repositories/forum.repository.js';
import * as repo from '../db/repositories/forum.repository.js';
import type { ThreadRow } from '../db/database.js';
import { canRead, isModerator, meetsFloor, type ThreadFloor } from '../domain/forum.js';
import type { Actor } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { Authenticated } from './auth.service.js';

/**
 * Who may read which category and thread: the one place the forum's reading and writing services ask, so a post
 * can never be written where it could not be read.
 */
export interface Reader {
	actor: Actor | null;
	groups: Set<number>;
}

export async function readerFor(db: Db, auth: Authenticated | null): Promise<Reader> {
	return { actor: auth?.actor ?? null, groups: auth ? await repo.userGroupIds(db, auth.actor.id) : new Set() };
}

/** What the domain's read and post rules need to know of a category. */
export function accessOf(c: CategoryWithOwner) {
	return { visibility: c.visibility, groupId: c.group_id, archived: c.group_archived_at !== null };
}

/** An archived field's space keeps its threads readable and takes no new ones; said in the member's language. */
export function refuseIfArchived(c: CategoryWithOwner): void {
	if (c.field_archived_at !== null) throw new DomainError('conflict', 'this field is archived', { space: 'field_archived' });
}

/** Loads a category the person may read; one they may not read does not exist for them. */
export async function readableCategory(db: Db, reader: Reader, slugOrId: string | number): Promise<CategoryWithOwner> {
	const c = typeof slugOrId === 'number' ? await repo.findCategoryById(db, slugOrId) : await repo.findCategoryBySlug(db, slugOrId);
	if (c && !reader.actor && c.visibility !== 'public') throw new DomainError('unauthenticated');
	if (!c || !canRead(reader.actor, accessOf(c), reader.groups)) throw new DomainError('not_found');
	return c;
}

/** The thread's own floor of visibility, as the domain's rules read it. */
export const floorOf = (t: Pick<ThreadRow, 'members_only'>): ThreadFloor => ({ membersOnly: t.members_only === 1 });

/**
 * Loads a thread the person may read (hidden ones only for moderators) with its category: its space readable and its
 * own floor met (canReadThread). A visitor is told to sign in to a members-only thread, as to a members-only space.
 */
export async function readableThread(db: Db, reader: Reader, threadId: number): Promise<{ thread: ThreadRow; category: CategoryWithOwner }> {
	const thread = await repo.findThread(db, threadId);
	if (!thread || (thread.hidden && !isModerator(reader.actor))) throw new DomainError('not_found');
	const category = await readableCategory(db, reader, thread.category_id);
	if (!meetsFloor(reader.actor, floorOf(thread))) throw new DomainError(reader.actor ? 'not_found' : 'unauthenticated');
	return { thread, category };
}
