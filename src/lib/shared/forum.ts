/** What the forum's pages and realtime events carry; shared by the server and the browser. */
import type { Html } from './shown-html';

/** Replies nest this deep on a page (below the opening post); deeper ones are behind "continue this thread". */
export const MAX_DEPTH = 5;
/** The reactions a post can get, in the order they are shown. */
export const REACTIONS = ['👍', '❤️', '🎉', '🤔', '👀'] as const;

export interface AuthorView {
	id: number;
	/** null when the account was deleted: shown as "former member". */
	name: string | null;
}

export interface ReactionView {
	emoji: string;
	count: number;
	mine: boolean;
}

export interface PostView {
	id: number;
	threadId: number;
	parentId: number | null;
	depth: number;
	author: AuthorView;
	/** Sanitised HTML; null when deleted, or hidden and the viewer is not a moderator. */
	html: Html | null;
	state: 'visible' | 'deleted' | 'hidden';
	createdAt: number;
	editedAt: number | null;
	reactions: ReactionView[];
}

export interface PostNode extends PostView {
	replies: PostNode[];
	/** Direct replies not shown here, behind "continue this thread". */
	more: number;
}

export interface ThreadSummary {
	id: number;
	title: string;
	tags: string[];
	pinned: boolean;
	locked: boolean;
	archived: boolean;
	hidden: boolean;
	postCount: number;
	createdAt: number;
	lastPostAt: number;
	author: AuthorView;
	unread: boolean;
}

export interface CategoryView {
	id: number;
	slug: string;
	kind: 'field' | 'group';
	/** The field of action's slug (its name comes with the page data: fieldName in src/lib/i18n/labels.ts) or the group's name. */
	fieldSlug: string | null;
	groupSlug: string | null;
	groupName: string | null;
	/** The space's field or group is archived: its threads stay readable; nothing new starts here (a group's space
	 * takes no replies either). */
	archived: boolean;
	visibility: 'public' | 'members' | 'group';
	threadCount: number;
	postCount: number;
	lastPostAt: number | null;
	unread: number;
}

export interface SearchHit {
	postId: number;
	threadId: number;
	title: string;
	category: CategoryView;
	author: AuthorView;
	createdAt: number;
	/** Plain-text segments; `mark` ones matched the query. */
	snippet: { text: string; mark: boolean }[];
	titleSegments: { text: string; mark: boolean }[];
	/** The thread's tags (search finds threads by them). */
	tags: string[];
}

export interface NotificationView {
	id: number;
	kind: 'mention' | 'reply' | 'proxy_used' | 'election_cancelled';
	actor: AuthorView | null;
	threadId: number | null;
	threadTitle: string | null;
	postId: number | null;
	/** `proxy_used`: the vote the actor cast the member's ballot in, by proxy; `election_cancelled`: the election. */
	voteId: number | null;
	voteTitle: string | null;
	createdAt: number;
	read: boolean;
}

