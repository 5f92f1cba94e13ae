import type { DraftStatus, DraftSummary } from '../../src/lib/shared/drafts.js';
import { hasRole, isActiveMember, type Actor } from './permissions.js';

/** A draft as services work with it: what a summary shows, and what its thread and rules need. */
export interface Draft extends DraftSummary {
	groupId: number | null;
	threadId: number | null;
	createdBy: number;
	createdAt: number;
	/** The vote whose outcome adopted or rejected it. */
	decidedBy: { voteId: number; title: string } | null;
}

/** The lifecycle: which status may follow which. A frozen draft goes back to review only to be reworked. */
export const TRANSITIONS: Record<DraftStatus, DraftStatus[]> = {
	drafting: ['review', 'frozen'],
	review: ['drafting', 'frozen'],
	frozen: ['review', 'adopted', 'rejected'],
	adopted: ['archived'],
	rejected: ['archived', 'drafting'],
	archived: []
};

/** What the rules need to know about a draft and the person looking at it. */
export interface DraftFacts {
	status: DraftStatus;
	visibility: 'public' | 'members';
	groupId: number | null;
	createdBy: number;
	/** The actor belongs to the draft's group (always false for network drafts). */
	inGroup: boolean;
	/** The actor facilitates the draft's group. */
	facilitates: boolean;
}

export function canReadDraft(actor: Actor | null, d: DraftFacts): boolean {
	return d.visibility === 'public' || isActiveMember(actor);
}

/** Editors: active members (of the group, for a group's draft) while the text is open to change. */
export function canEditDraft(actor: Actor | null, d: DraftFacts): boolean {
	if (!isActiveMember(actor) || (d.status !== 'drafting' && d.status !== 'review')) return false;
	return d.groupId === null || d.inGroup || hasRole(actor, 'coordinator');
}

/** Stewards move a draft through its lifecycle: its author, its group's facilitators, coordinators. */
export function canManageDraft(actor: Actor | null, d: DraftFacts): boolean {
	if (!isActiveMember(actor)) return false;
	return actor!.id === d.createdBy || d.facilitates || hasRole(actor, 'coordinator');
}

/** Stewards may set the text back to a version while it is open to change (a frozen text is the one put to a vote). */
export function canRestoreDraft(actor: Actor | null, d: DraftFacts): boolean {
	return canManageDraft(actor, d) && (d.status === 'drafting' || d.status === 'review');
}

export function canCommentDraft(actor: Actor | null, d: DraftFacts): boolean {
	return isActiveMember(actor) && canReadDraft(actor, d) && d.status !== 'archived';
}

/** Amendments are proposed on a text in review or frozen for vote, by those who could have edited it. */
export function canAmendDraft(actor: Actor | null, d: DraftFacts): boolean {
	return (d.status === 'review' || d.status === 'frozen') && isActiveMember(actor) && (d.groupId === null || d.inGroup || hasRole(actor, 'coordinator'));
}

/**
 * Whether a vote of a body (a group, or the whole network: null) may decide a draft or its amendments: the draft's
 * own group, or the network above every group. A group's vote never decides another group's or the network's text.
 */
export function bodyDecidesDraft(voteGroupId: number | null, draftGroupId: number | null): boolean {
	return voteGroupId === null || voteGroupId === draftGroupId;
}

/** Null when allowed; otherwise why not ('forbidden', or 'conflict' for a step the lifecycle does not have). */
export function transitionProblem(actor: Actor | null, d: DraftFacts, to: DraftStatus): 'forbidden' | 'conflict' | null {
	if (!canManageDraft(actor, d)) return 'forbidden';
	if (!TRANSITIONS[d.status].includes(to)) return 'conflict';
	return null;
}
