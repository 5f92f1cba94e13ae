import type { Db } from '../db/client.js';
import type { CategoryWithOwner, ListedThreads } from '../db/repositories/forum.repository.js';
import { latestListed, unlistedTotals } from '../db/repositories/space-counts.repository.js';
import { isModerator, seesMembersOnlyThreads } from '../domain/forum.js';
import type { Actor } from '../domain/permissions.js';
import type { CategoryView } from '../../src/lib/shared/forum.js';

/** Which threads a list shows this reader: hidden ones to moderators, members-only ones (the floor) to active members. */
export const listedFor = (actor: Actor | null): ListedThreads => ({ hidden: isModerator(actor), membersOnly: seesMembersOnlyThreads(actor) });

/** A category as pages show it, with its stored counters; readers who may not see every thread get spaceViews. */
export function categoryView(c: CategoryWithOwner, unread = 0): CategoryView {
	return {
		id: c.id,
		slug: c.slug,
		kind: c.field_id !== null ? 'field' : 'group',
		fieldSlug: c.field_slug,
		groupSlug: c.group_slug,
		groupName: c.group_name,
		archived: c.field_archived_at !== null || c.group_archived_at !== null,
		visibility: c.visibility,
		threadCount: c.thread_count,
		postCount: c.post_count,
		lastPostAt: c.last_post_at,
		unread
	};
}

/**
 * Spaces as `actor` may see them: their counts of threads and posts and their latest activity are those of the threads
 * its lists show (a visitor's leave out members-only threads, a member's hidden ones), never the stored counters
 * whole, which would tell of threads the reader may not know exist.
 */
export async function spaceViews(db: Db, rows: CategoryWithOwner[], actor: Actor | null, unread?: Map<number, number>): Promise<CategoryView[]> {
	const shown = listedFor(actor);
	const unlisted = await unlistedTotals(
		db,
		rows.map((c) => c.id),
		shown
	);
	return Promise.all(
		rows.map(async (c) => {
			const view = categoryView(c, unread?.get(c.id) ?? 0);
			const left = unlisted.get(c.id);
			if (!left) return view;
			const lastPostAt = c.last_post_at !== null && left.lastPostAt >= c.last_post_at ? await latestListed(db, c.id, shown) : c.last_post_at;
			return { ...view, threadCount: Math.max(0, c.thread_count - left.threads), postCount: Math.max(0, c.post_count - left.posts), lastPostAt };
		})
	);
}
