import type { Actor } from './permissions.js';
import { hasRole, isActiveMember } from './permissions.js';
import { MAX_DEPTH } from '../../src/lib/shared/forum.js';

/** Pure rules of the forum. */

export type Visibility = 'public' | 'members' | 'group';

export interface CategoryAccess {
	visibility: Visibility;
	groupId: number | null;
	/** The space of an archived group: its history stays readable, nothing new is written in it. */
	archived?: boolean;
}

/** Top-level replies per page of a thread. */
export const PAGE_SIZE = 20;
/** Replies shown under each top-level reply on a thread page (nearest first); the rest are one click away. */
export const REPLIES_PER_ROOT = 5;

/** Who may read a category: anyone when public, members when members-only, the group's members when group. */
export function canRead(actor: Actor | null, category: CategoryAccess, groupIds: ReadonlySet<number>): boolean {
	if (category.visibility === 'public') return true;
	if (!actor || !isActiveMember(actor)) return false;
	if (category.visibility === 'members') return true;
	// Moderators and coordinators see group spaces to moderate them.
	return hasRole(actor, 'moderator') || (category.groupId !== null && groupIds.has(category.groupId));
}

/**
 * A thread's own floor of visibility, above its space's: a members-only draft's debate thread stays among members
 * even in a public space (or one made public later).
 */
export interface ThreadFloor {
	membersOnly: boolean;
}

/** Whether the reader stands on the thread's floor: anyone for an ordinary thread, active members for a members-only one. */
export function meetsFloor(actor: Actor | null, thread: ThreadFloor): boolean {
	return !thread.membersOnly || isActiveMember(actor);
}

/**
 * Who may read a thread: whoever may read its space AND stands on the thread's floor. The one rule behind every page,
 * list, search, feed, API answer, webhook and notification that shows a thread or its posts.
 */
export function canReadThread(actor: Actor | null, category: CategoryAccess, groupIds: ReadonlySet<number>, thread: ThreadFloor): boolean {
	return canRead(actor, category, groupIds) && meetsFloor(actor, thread);
}

/** What lists filter on (the floor as a query sees it): whether members-only threads may be listed for this reader. */
export const seesMembersOnlyThreads = (actor: Actor | null): boolean => isActiveMember(actor);

/** Who may change who reads a space: coordinators, who run the network. */
export const maySetSpaceVisibility = (actor: Actor | null) => hasRole(actor, 'coordinator');

/** Whether a space can have this visibility: 'group' only for a group's own space. */
export function spaceVisibilityAllowed(category: CategoryAccess, to: string): to is Visibility {
	return to === 'public' || to === 'members' || (to === 'group' && category.groupId !== null);
}

export interface ThreadState extends Partial<ThreadFloor> {
	locked: boolean;
	archived: boolean;
	hidden: boolean;
}

/** Whether the actor may add a post: a reader who is an active member, in a space not archived, in a thread open for replies. */
export function canPost(actor: Actor | null, category: CategoryAccess, groupIds: ReadonlySet<number>, thread?: ThreadState): boolean {
	if (!actor || !isActiveMember(actor) || !canRead(actor, category, groupIds)) return false;
	if (category.archived) return false;
	if (!thread) return true;
	if (thread.hidden || thread.archived || !meetsFloor(actor, { membersOnly: !!thread.membersOnly })) return false;
	return !thread.locked || hasRole(actor, 'moderator');
}

export const isModerator = (actor: Actor | null) => hasRole(actor, 'moderator');

/** Authors edit and delete their own posts (while they may post); moderators any. */
export function canChangePost(actor: Actor | null, authorId: number): boolean {
	if (!actor || !isActiveMember(actor)) return false;
	return actor.id === authorId || hasRole(actor, 'moderator');
}

/** Up to 5 tags, lower-case words of letters, digits and dashes. */
export function parseTags(input: string): string[] {
	const tags = input
		.split(/[,\s]+/)
		.map((t) => t.trim().toLowerCase().replace(/^#/, ''))
		.filter((t) => /^[\p{L}\p{N}-]{1,30}$/u.test(t));
	return [...new Set(tags)].slice(0, 5);
}

/** A thread's tags as stored (a JSON array of strings); anything else is no tags. */
export function tagsOf(json: string): string[] {
	try {
		const v: unknown = JSON.parse(json);
		return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
	} catch {
		return [];
	}
}

/** One tag as a link's `?tag=` gives it: trimmed, lower case, without a leading #; null when it cannot be a tag. */
export function tagParam(input: string | null): string | null {
	const tag = (input ?? '').trim().toLowerCase().replace(/^#/, '');
	return /^[\p{L}\p{N}-]{1,30}$/u.test(tag) ? tag : null;
}

/** What the search index holds as an opening post's title: the thread's title and its tags, so search finds tags. */
export function indexedTitle(title: string, tags: readonly string[]): string {
	return fold([title, ...tags].join(' '));
}

export interface FlatPost {
	id: number;
	parentId: number | null;
	depth: number;
}

export type TreeNode<P extends FlatPost> = P & { replies: TreeNode<P>[]; more: number };

/**
 * Nests posts (ordered by id) under their parents. Replies deeper than `maxDepth` are cut and counted in `more`,
 * for a "continue this thread" link. Posts whose parent is not in the list are roots.
 */
export function buildTree<P extends FlatPost>(posts: P[], maxDepth = MAX_DEPTH, baseDepth = 0): TreeNode<P>[] {
	const nodes = new Map<number, TreeNode<P>>();
	const roots: TreeNode<P>[] = [];
	for (const post of posts) nodes.set(post.id, { ...post, replies: [], more: 0 });
	for (const post of posts) {
		const node = nodes.get(post.id)!;
		const parent = post.parentId === null ? undefined : nodes.get(post.parentId);
		if (!parent) {
			roots.push(node);
		} else if (post.depth - baseDepth > maxDepth) {
			// Only the nearest visible ancestor counts it; deeper descendants are behind the same link.
			if (parent.depth - baseDepth === maxDepth) parent.more += 1;
		} else {
			parent.replies.push(node);
		}
	}
	return roots;
}

/**
 * Keeps at most `perRoot` descendants under each root, breadth first (the direct answers before the answers to
 * answers, older first). A cut reply is counted in its parent's `more`, so "continue this thread" leads to it.
 */
export function trimTree<P extends FlatPost>(roots: TreeNode<P>[], perRoot: number): TreeNode<P>[] {
	for (const root of roots) {
		let left = perRoot;
		let level: TreeNode<P>[] = [root];
		while (level.length) {
			const next: TreeNode<P>[] = [];
			for (const node of level) {
				const kept = node.replies.slice(0, Math.max(0, left));
				left -= kept.length;
				node.more += node.replies.length - kept.length;
				node.replies = kept;
				next.push(...kept);
			}
			level = next;
		}
	}
	return roots;
}

const folded = new Map<string, string>();

/** Lower case without diacritics (ë→e, ç→c, ά→α, ΐ→ι), one character for one: offsets stay aligned. */
export function foldChar(c: string): string {
	let f = folded.get(c);
	if (f === undefined) {
		const stripped = c.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
		f = stripped.length === 1 ? stripped : c.toLowerCase().length === 1 ? c.toLowerCase() : c;
		// Bounded: text has few distinct characters, but a flood of rare ones must not grow this forever.
		if (folded.size < 10_000) folded.set(c, f);
	}
	return f;
}

// What foldChar may change: capitals and anything beyond ASCII. The rest of ASCII folds to itself, so most of a
// post's characters are copied without a look-up: folding a post for the search index took as long as parsing its
// Markdown, a character at a time (tests/bench/forum.bench.ts, posts/s through the service).
const FOLDABLE = /[A-Z]|[^\0-\x7f]/gu;

export function fold(text: string): string {
	return text.normalize('NFC').replace(FOLDABLE, foldChar);
}

/** The words of a search query, folded, for FTS5 (each quoted, matched as a prefix) and for highlighting. */
export function queryTerms(q: string): string[] {
	return [...new Set(fold(q).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0))].slice(0, 8);
}

export function ftsQuery(terms: string[]): string {
	return terms.map((t) => `"${t}"*`).join(' ');
}

/** For each folded letter, the characters that fold to it (Latin, Greek and Cyrillic blocks): "e" → "eEëËéÉ…". */
let variantsOf: Map<string, string> | null = null;
function variants(): Map<string, string> {
	if (variantsOf) return variantsOf;
	variantsOf = new Map();
	const ranges = [[0x30, 0x7a], [0xc0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x1e00, 0x1fff]];
	for (const [lo, hi] of ranges) {
		for (let code = lo; code <= hi; code++) {
			const c = String.fromCharCode(code);
			const f = foldChar(c);
			if (f.length === 1 && /[\p{L}\p{N}]/u.test(f)) variantsOf.set(f, (variantsOf.get(f) ?? '') + c);
		}
	}
	return variantsOf;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\\-]/g, '\\$&');

/** A pattern that finds a folded search term in original text (plain classes: quick to compile, unlike \p{…}). */
function termPattern(term: string): string {
	const table = variants();
	let out = '';
	for (const c of term) {
		const v = table.get(c);
		out += v && v.length > 1 ? `[${escapeRe(v)}]` : escapeRe(c);
	}
	return out;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const WORD_TAIL = /[\p{L}\p{N}\p{M}]*/uy;

/**
 * A window of plain text around the first match, split into segments with the matches marked. Matches the
 * original text (NFC) directly with each folded term's letters widened to what folds to them, so "keshilli" marks
 * "këshilli" and "πολιτικη" marks "πολιτική". The caller escapes HTML (segments keep escaping with the caller).
 */
export function highlight(text: string, terms: string[], width = 160): { text: string; mark: boolean }[] {
	return highlighter(terms)(text, width);
}

export type Segments = { text: string; mark: boolean }[];

/** highlight with the pattern built once, for marking many texts with the same terms. */
export function highlighter(terms: string[]): (text: string, width?: number) => Segments {
	const re = terms.length ? new RegExp(terms.map(termPattern).join('|'), 'g') : null;
	return (text, width = 160) => mark(text, re, width);
}

function mark(text: string, re: RegExp | null, width: number): Segments {
	const original = text.normalize('NFC');
	const ranges: [number, number][] = [];
	if (re) {
		// A match starts a word (nothing letter-like before it) and runs to the end of that word.
		for (const m of original.matchAll(re)) {
			if (!m[0].length || (m.index > 0 && WORD_CHAR.test(original[m.index - 1]))) continue;
			WORD_TAIL.lastIndex = m.index + m[0].length;
			WORD_TAIL.exec(original);
			const end = WORD_TAIL.lastIndex;
			if (!ranges.length || m.index >= ranges[ranges.length - 1][1]) ranges.push([m.index, end]);
		}
	}
	// The window, in code units, never splitting a surrogate pair.
	const low = (i: number) => i > 0 && i < original.length && (original.charCodeAt(i) & 0xfc00) === 0xdc00;
	const first = ranges.length ? ranges[0][0] : 0;
	let from = Math.max(0, first - Math.floor(width / 3));
	let to = Math.min(original.length, from + width);
	if (to === original.length) from = Math.max(0, to - width);
	if (low(from)) from--;
	if (low(to)) to++;
	const segments: Segments = [];
	const push = (a: number, b: number, marked: boolean) => {
		if (b > a) segments.push({ text: original.slice(a, b), mark: marked });
	};
	if (from > 0) segments.push({ text: '…', mark: false });
	let at = from;
	for (const [start, end] of ranges) {
		if (end <= at) continue;
		if (start >= to) break;
		push(at, Math.max(at, start), false);
		push(Math.max(at, start), Math.min(end, to), true);
		at = Math.min(end, to);
	}
	push(at, to, false);
	if (to < original.length) segments.push({ text: '…', mark: false });
	return segments;
}
