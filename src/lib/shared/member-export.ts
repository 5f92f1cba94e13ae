import type { Ballot, Method, VoteOption, VoteStatus } from './votes.js';

/** One of a member's posts, with the thread it is in. */
export interface ExportedPost {
	id: number;
	threadId: number;
	threadTitle: string;
	replyTo: number | null;
	body: string;
	createdAt: number;
	editedAt: number | null;
	deletedAt: number | null;
	hiddenAt: number | null;
}

/** An earlier text of one of the member's posts; `byMe` is false when a moderator made the edit. */
export interface ExportedRevision {
	id: number;
	postId: number;
	body: string;
	createdAt: number;
	byMe: boolean;
}

export interface ExportedDraftComment {
	id: number;
	draftId: number;
	draftTitle: string;
	replyTo: number | null;
	/** The translation the comment is on (its language code); null: the draft's source text. */
	language: string | null;
	quote: string;
	body: string;
	createdAt: number;
	resolvedAt: number | null;
}

export interface ExportedAmendment {
	id: number;
	draftId: number;
	draftTitle: string;
	original: string;
	replacement: string;
	reason: string;
	status: string;
	createdAt: number;
	decidedAt: number | null;
}

export interface ExportedReaction {
	postId: number;
	threadId: number;
	threadTitle: string;
	emoji: string;
	createdAt: number;
}

/** A ballot in an open vote (secret ballots are linked to nobody, so no export can hold them). */
export interface ExportedBallot {
	voteId: number;
	voteTitle: string;
	method: Method;
	status: VoteStatus;
	options: VoteOption[];
	receipt: string;
	ballot: Ballot;
}

export interface ExportedSections {
	posts: ExportedPost;
	postRevisions: ExportedRevision;
	draftComments: ExportedDraftComment;
	amendments: ExportedAmendment;
	reactions: ExportedReaction;
	openBallots: ExportedBallot;
}

/** The order sections are written in, in both files. */
export const EXPORT_SECTIONS = ['posts', 'postRevisions', 'draftComments', 'amendments', 'reactions', 'openBallots'] as const satisfies readonly (keyof ExportedSections)[];
export type ExportSection = (typeof EXPORT_SECTIONS)[number];
