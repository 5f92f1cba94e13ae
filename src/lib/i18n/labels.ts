import { page } from '$app/state';
import { m } from '$lib/paraglide/messages';
import type { GroupKind, Locale, Role } from '$lib/shared/types';
import type { MailProblem } from '$lib/shared/mail-problem';

/**
 * A field of action's name in the reader's language. Fields are the network's data: the root layout loads their
 * names once per request (in the reader's language, falling back to the network's primary one) and this reads them
 * from the page data, so it works while a component renders, on the server as in the browser.
 */
export const fieldName = (slug: string): string => (page.data.fieldNames as Record<string, string> | undefined)?.[slug] ?? slug;

const GROUP_KIND: Record<GroupKind, () => string> = {
	city_cluster: m.group_kind_city_cluster,
	meta_cluster: m.group_kind_meta_cluster,
	alliance: m.group_kind_alliance,
	consortium: m.group_kind_consortium,
	research_community: m.group_kind_research_community,
	working_group: m.group_kind_working_group,
	other: m.group_kind_other
};
export const groupKindName = (kind: GroupKind) => GROUP_KIND[kind]();

const ROLE: Record<Role, () => string> = { member: m.role_member, moderator: m.role_moderator, coordinator: m.role_coordinator };
export const roleName = (role: Role) => ROLE[role]();

/** Each language named in itself (the same in every catalogue), so anyone can find their own. */
const LANGUAGE: Record<Locale, () => string> = { sq: m.language_name_sq, en: m.language_name_en, el: m.language_name_el };
export const languageName = (locale: Locale) => LANGUAGE[locale]();

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

/** Why a mail has not gone out, in the reader's language; an SMTP server's own answer is quoted as it came. */
export const mailProblemText = (problem: MailProblem | null): string =>
	!problem ? m.coordination_mail_not_delivered() : problem.kind === 'no_smtp' ? m.coordination_mail_no_smtp() : m.coordination_mail_answered({ detail: problem.detail });
