/** What the drafts pages and realtime events carry; shared by the server and the browser. */
import type { AuthorView } from './forum';

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

export interface VersionView {
	number: number;
	/** Empty for automatic versions (auto says why). */
	name: string;
	auto: 'frozen' | null;
	hash: string;
	createdAt: number;
	author: AuthorView | null;
}

export interface CommentView {
	id: number;
	parentId: number | null;
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
