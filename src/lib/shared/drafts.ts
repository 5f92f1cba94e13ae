/** What the drafts pages and realtime events carry; shared by the server and the browser. */
import type { AuthorView } from './forum';
import type { Locale } from './types';

export type DraftStatus = 'drafting' | 'review' | 'frozen' | 'adopted' | 'rejected' | 'archived';
export type AmendmentStatus = 'proposed' | 'withdrawn' | 'adopted' | 'rejected';

export interface DraftSummary {
	id: number;
	title: string;
	summary: string;
	status: DraftStatus;
	visibility: 'public' | 'members';
	group: { slug: string; name: string } | null;
	author: AuthorView;
	updatedAt: number;
}

export interface DraftView extends DraftSummary {
	threadId: number | null;
	createdAt: number;
	/** The vote whose outcome adopted or rejected the draft (null while no vote has). */
	decidedBy: { voteId: number; title: string } | null;
	/** The Yjs document's name at /yjs/<docName>. */
	docName: string;
	/**
	 * `callVote`: may open the new-vote page (put a version or an amendment to a vote). `suggest`: may propose
	 * changes in the text as suggestions; `review`: may accept or reject them; `amendFromSuggestion`: may turn one into
	 * an amendment (during review).
	 */
	can: {
		edit: boolean;
		manage: boolean;
		restore: boolean;
		comment: boolean;
		amend: boolean;
		callVote: boolean;
		suggest: boolean;
		review: boolean;
		amendFromSuggestion: boolean;
	};
	/** The statuses this person may move the draft to now. */
	transitions: DraftStatus[];
}

/**
 * Why a version was saved by itself: the draft was frozen; an amendment was proposed on a text no version held yet
 * (the text it was made on); an adopted amendment was applied. Stored as 1, 2, 3 in `draft_versions.auto`.
 */
export const VERSION_AUTO = { 1: 'frozen', 2: 'proposed_on', 3: 'amended' } as const;
export type VersionAuto = (typeof VERSION_AUTO)[keyof typeof VERSION_AUTO];

export interface VersionView {
	number: number;
	/** Empty for automatic versions (auto says why). */
	name: string;
	auto: VersionAuto | null;
	hash: string;
	createdAt: number;
	author: AuthorView | null;
}

export interface CommentView {
	id: number;
	parentId: number | null;
	/** The language of the text its passage is in (the source's, or a translation's); a reply's is its thread's. */
	lang: Locale;
	author: AuthorView;
	/** Yjs relative positions (base64) of the passage, null for a reply. */
	anchorStart: string | null;
	anchorEnd: string | null;
	quote: string;
	body: string;
	createdAt: number;
	resolved: boolean;
}

export interface AmendmentView {
	id: number;
	/** The language of the text it amends: always the source's (the authoritative text). */
	lang: Locale;
	versionNumber: number;
	versionHash: string;
	author: AuthorView;
	anchorStart: string;
	anchorEnd: string;
	original: string;
	replacement: string;
	reason: string;
	status: AmendmentStatus;
	createdAt: number;
	/** A proposed amendment whose passage was edited since it was made (or is gone): its "original" is not the text now. */
	outdated: boolean;
	/** Other proposed amendments changing words of the same passage: put to one vote between the alternatives. */
	overlaps: number[];
	/** The vote that decides (or decided) it, if one was called. */
	voteId: number | null;
}

/** What "put to a vote" fills the new-vote form with: the draft, and the amendment with its alternatives. */
export interface AmendmentProposal {
	draftId: number;
	draftTitle: string;
	groupId: number | null;
	visibility: 'public' | 'members';
	/** The amendment and every other proposed one changing the same words, oldest first. */
	alternatives: AmendmentView[];
}

export interface DiffView {
	from: VersionView;
	to: VersionView;
	segments: { text: string; kind: 'same' | 'added' | 'removed' }[];
	added: number;
	removed: number;
}

export const EXPORT_FORMATS = ['md', 'html', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
