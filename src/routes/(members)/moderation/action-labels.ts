import { m } from '$lib/paraglide/messages';

// Beside the moderation page, its only reader, and not in $lib/i18n/labels.ts: every page loads that module (the
// language switcher names the languages), and these fifteen messages in three languages came with it.

const MODERATION: Record<string, () => string> = {
	'post.hidden': m.modlog_post_hidden,
	'post.restored': m.modlog_post_restored,
	'flags.dismissed': m.modlog_flags_dismissed,
	'thread.moved': m.modlog_thread_moved,
	'thread.pinned.on': m.modlog_thread_pinned,
	'thread.pinned.off': m.modlog_thread_unpinned,
	'thread.locked.on': m.modlog_thread_locked,
	'thread.locked.off': m.modlog_thread_unlocked,
	'thread.archived.on': m.modlog_thread_archived,
	'thread.archived.off': m.modlog_thread_unarchived,
	'thread.hidden.on': m.modlog_thread_hidden,
	'thread.hidden.off': m.modlog_thread_shown,
	'space.visibility.public': m.modlog_space_public,
	'space.visibility.members': m.modlog_space_members,
	'space.visibility.group': m.modlog_space_group
};
export const moderationActionName = (action: string) => (MODERATION[action] ?? (() => action))();

