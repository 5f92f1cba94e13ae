import { m } from '$lib/paraglide/messages';
import type { AuditAction, AuditEntryView, AuditValue } from '$lib/shared/audit';
import { formatNumber } from './format';
import { roleName } from './labels';

// Numbers reach the messages formatted for the reader; the plural form is chosen from the same figure.

/** Each action the trail records, as a line in the reader's language. Keyed by every known action: one left out is a
 * type error, so a new kind of entry cannot reach the page without words. */
const WHAT: Record<AuditAction, (e: AuditEntryView) => string> = {
	'join.approved': () => m.audit_join_approved(),
	'join.rejected': () => m.audit_join_rejected(),
	'role.changed': (e) => (e.change?.from ? m.audit_role_changed_to({ from: value(e.change.from), to: value(e.change.to) }) : m.audit_role_changed()),
	'account.suspended': (e) => (e.reason ? m.audit_account_suspended_because({ reason: e.reason }) : m.audit_account_suspended()),
	'account.reinstated': () => m.audit_account_reinstated(),
	'account.created': () => m.audit_account_created(),
	'account.deleted': () => m.audit_account_deleted(),
	'account.password_changed': () => m.audit_account_password_changed(),
	'account.password_link_issued': () => m.audit_account_password_link_issued(),
	'group.request_approved': () => m.audit_group_request_approved(),
	'group.request_declined': () => m.audit_group_request_declined(),
	'group.member_removed': () => m.audit_group_member_removed(),
	'group.role_changed': (e) => (e.change ? m.audit_group_role_changed_to({ to: value(e.change.to) }) : m.audit_group_role_changed()),
	'group.created': () => m.audit_group_created(),
	'group.updated': () => m.audit_group_updated(),
	'group.archived': () => m.audit_group_archived(),
	'group.restored': () => m.audit_group_restored(),
	'organisation.representative_added': () => m.audit_organisation_representative_added(),
	'organisation.representative_removed': () => m.audit_organisation_representative_removed(),
	'field.added': () => m.audit_field_added(),
	'field.renamed': (e) => (e.change?.from ? m.audit_field_renamed_to({ from: value(e.change.from), to: value(e.change.to) }) : m.audit_field_renamed()),
	'field.moved': () => m.audit_field_moved(),
	'field.archived': () => m.audit_field_archived(),
	'field.unarchived': () => m.audit_field_unarchived(),
	'field.merged': (e) =>
		e.change?.from && e.count !== null
			? m.audit_field_merged_into({ from: value(e.change.from), into: value(e.change.to), threads: formatNumber(e.count) })
			: m.audit_field_merged(),
	'setup.first_coordinator': () => m.audit_setup_first_coordinator(),
	'setup.finished': () => m.audit_setup_finished(),
	'network.profile_saved': () => m.audit_network_profile_saved(),
	'vote.objections_moved': () => m.audit_vote_objections_moved(),
	'meeting.proposal_accepted': () => m.audit_meeting_proposal_accepted(),
	'meeting.proposal_dropped': () => m.audit_meeting_proposal_dropped(),
	'draft.frozen_outdated': () => m.audit_draft_frozen_outdated(),
	'draft.frozen_with_suggestions': () => m.audit_draft_frozen_with_suggestions(),
	'meeting.minutes_put': () => m.audit_meeting_minutes_put(),
	'vote.opened': (e) => m.audit_vote_opened({ count: formatNumber(e.count ?? 0) }),
	'vote.closed': (e) => m.audit_vote_closed({ participants: formatNumber(e.count ?? 0), eligible: formatNumber(e.of ?? 0) }),
	'vote.cancelled': () => m.audit_vote_cancelled(),
	'vote.cancelled_no_candidates': () => m.audit_vote_cancelled_no_candidates(),
	'meeting.created': (e) => m.audit_meeting_created({ items: formatNumber(e.count ?? 0) }),
	'meeting.started': () => m.audit_meeting_started(),
	'meeting.ended': () => m.audit_meeting_ended(),
	'draft.restored': (e) => m.audit_draft_restored({ version: formatNumber(e.count ?? 0) }),
	'draft.adopted': () => m.audit_draft_adopted(),
	'draft.rejected': () => m.audit_draft_rejected(),
	'amendment.adopted': (e) => m.audit_amendment_adopted({ id: String(e.count ?? '') }),
	'amendment.rejected': (e) => m.audit_amendment_rejected({ id: String(e.count ?? '') }),
	'proxy.given': () => m.proxy_audit_given(),
	'proxy.revoked': () => m.proxy_audit_revoked(),
	'webhook.registered': (e) => m.hook_audit_registered({ url: e.change ? value(e.change.to) : '' }),
	'webhook.removed': (e) => m.hook_audit_removed({ url: e.change ? value(e.change.to) : '' })
};

function value(v: AuditValue): string {
	if (v.kind === 'role') return roleName(v.role);
	if (v.kind === 'group_role') return v.role === 'facilitator' ? m.audit_group_role_facilitator() : m.audit_group_role_member();
	return v.name;
}

/** What an entry did, in words; an action this version has no words for still reads as a line, with its code. */
export const auditWhat = (e: AuditEntryView): string => (e.known ? WHAT[e.action as AuditAction](e) : m.audit_unknown({ action: e.action }));

const WHO: Record<Exclude<AuditEntryView['actor']['kind'], 'member'>, () => string> = {
	command_line: m.audit_by_command_line,
	schedule: m.audit_by_schedule,
	outcome: m.audit_by_vote_outcome,
	former: m.former_member
};

/** Who did it: a member's name, the command line, Kuvend on its schedule, a vote's outcome, or a former member. */
export const auditWho = (actor: AuditEntryView['actor']): string => (actor.kind === 'member' ? actor.person.name : WHO[actor.kind]());

/** The subject when it has no page to link to: the network, a deleted account, or something removed since. */
export const auditSubjectMissing = (e: AuditEntryView): string =>
	e.subjectType === 'network' ? m.audit_subject_network() : e.subjectType === 'user' ? m.former_member() : m.audit_subject_gone();
