import { page } from '$app/state';
import { m } from '$lib/paraglide/messages';
import type { GroupKind, Locale, Role } from '$lib/shared/types';

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

const AUDIT: Record<string, () => string> = {
	'join.approved': m.audit_join_approved,
	'join.rejected': m.audit_join_rejected,
	'role.changed': m.audit_role_changed,
	'account.suspended': m.audit_account_suspended,
	'account.reinstated': m.audit_account_reinstated,
	'account.created': m.audit_account_created,
	'account.deleted': m.audit_account_deleted,
	'account.password_changed': m.audit_account_password_changed,
	'account.password_link_issued': m.audit_account_password_link_issued,
	'group.request_approved': m.audit_group_request_approved,
	'group.request_declined': m.audit_group_request_declined,
	'group.member_removed': m.audit_group_member_removed,
	'group.role_changed': m.audit_group_role_changed,
	'group.created': m.audit_group_created,
	'group.updated': m.audit_group_updated,
	'group.archived': m.audit_group_archived,
	'group.restored': m.audit_group_restored,
	'organisation.representative_added': m.audit_organisation_representative_added,
	'organisation.representative_removed': m.audit_organisation_representative_removed,
	'field.added': m.audit_field_added,
	'field.renamed': m.audit_field_renamed,
	'field.moved': m.audit_field_moved,
	'field.archived': m.audit_field_archived,
	'field.unarchived': m.audit_field_unarchived,
	'field.merged': m.audit_field_merged,
	'setup.first_coordinator': m.audit_setup_first_coordinator,
	'setup.finished': m.audit_setup_finished,
	'network.profile_saved': m.audit_network_profile_saved
};
export const auditActionName = (action: string) => (AUDIT[action] ?? (() => action))();

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
