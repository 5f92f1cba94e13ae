import type { Role } from './types.js';

/** Something the audit trail names: by its name in the reader's language, with a link when it still has a page. */
export interface AuditLink {
	name: string;
	href: string | null;
}

/** A value an entry changed, kept typed so the page says it in the reader's language. */
export type AuditValue = { kind: 'role'; role: Role } | { kind: 'group_role'; role: 'member' | 'facilitator' } | { kind: 'name'; name: string };

/**
 * One line of the coordinators' audit trail, in words: who did it, what, to what and to whom, with old → new values.
 * `action` is the stored code; `known` says whether this version has words for it (otherwise the page reads a generic
 * line with the code, rather than nothing).
 */
export interface AuditEntryView {
	id: number;
	createdAt: number;
	/**
	 * A member (by name, linked); the server's command line; Kuvend itself on a schedule; a vote's outcome (a draft or
	 * an amendment it adopted or rejected); or an account since deleted.
	 */
	actor: { kind: 'member'; person: AuditLink } | { kind: 'command_line' } | { kind: 'schedule' } | { kind: 'outcome' } | { kind: 'former' };
	action: string;
	known: boolean;
	/** What kind of thing the action concerns: user, group, organisation, field, vote, meeting, draft, network. */
	subjectType: string;
	/** That thing by name with a link; null for the network as a whole, or when it no longer exists. */
	subject: AuditLink | null;
	/** A second person the action names: a group's member, an organisation's representative. */
	person: AuditLink | null;
	change: { from: AuditValue | null; to: AuditValue } | null;
	/** The vote whose outcome did it (a draft or an amendment adopted or rejected). */
	vote: AuditLink | null;
	/** A number the action carries: eligible voters, voters who took part, threads moved, agenda items, a version, an amendment. */
	count: number | null;
	/** Of a vote's closing: those eligible, beside `count` who took part. */
	of: number | null;
	/** A coordinator's stated reason (a suspension). */
	reason: string | null;
}

/** The actions this version describes in words; anything else in the trail reads as a generic line. */
export const AUDIT_ACTIONS = [
	'join.approved',
	'join.rejected',
	'role.changed',
	'account.suspended',
	'account.reinstated',
	'account.created',
	'account.deleted',
	'account.password_changed',
	'account.password_link_issued',
	'group.request_approved',
	'group.request_declined',
	'group.member_removed',
	'group.role_changed',
	'group.created',
	'group.updated',
	'group.archived',
	'group.restored',
	'organisation.representative_added',
	'organisation.representative_removed',
	'field.added',
	'field.renamed',
	'field.moved',
	'field.archived',
	'field.unarchived',
	'field.merged',
	'setup.first_coordinator',
	'setup.finished',
	'network.profile_saved',
	'vote.objections_moved',
	'meeting.proposal_accepted',
	'meeting.proposal_dropped',
	'draft.frozen_outdated',
	'draft.frozen_with_suggestions',
	'meeting.minutes_put',
	'vote.opened',
	'vote.closed',
	'vote.cancelled',
	'vote.cancelled_no_candidates',
	'meeting.created',
	'meeting.started',
	'meeting.ended',
	'draft.restored',
	'draft.adopted',
	'draft.rejected',
	'amendment.adopted',
	'amendment.rejected',
	'proxy.given',
	'proxy.revoked',
	'webhook.registered',
	'webhook.removed'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a vote's outcome does by itself (no member acts): its entries name the vote, never a ballot. */
export const OUTCOME_ACTIONS: readonly AuditAction[] = ['draft.adopted', 'draft.rejected', 'amendment.adopted', 'amendment.rejected'];
