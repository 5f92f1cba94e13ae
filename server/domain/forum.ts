import type { Actor } from './permissions.js';
import { hasRole, isActiveMember } from './permissions.js';

/** Pure rules of the forum. */

export type Visibility = 'public' | 'members' | 'group';

export interface CategoryAccess {
	visibility: Visibility;
	groupId: number | null;
}

/** Replies nest this deep on a page; deeper ones are behind "continue this thread". */
export const MAX_DEPTH = 5;
/** Top-level replies per page of a thread. */
export const PAGE_SIZE = 20;
export const REACTIONS = ['👍', '❤️', '🎉', '🤔', '👀'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** Who may read a category: anyone when public, members when members-only, the group's members when group. */
export function canRead(actor: Actor | null, category: CategoryAccess, groupIds: ReadonlySet<number>): boolean {
	if (category.visibility === 'public') return true;
	if (!actor || !isActiveMember(actor)) return false;
	if (category.visibility === 'members') return true;
	// Moderators and coordinators see group spaces to moderate them.
	return hasRole(actor, 'moderator') || (category.groupId !== null && groupIds.has(category.groupId));
}

export interface ThreadState {
	locked: boolean;
	archived: boolean;
	hidden: boolean;
}

/** Whether the actor may add a post: a reader who is an active member, in a thread open for replies. */
export function canPost(actor: Actor | null, category: CategoryAccess, groupIds: ReadonlySet<number>, thread?: ThreadState): boolean {
	if (!actor || !isActiveMember(actor) || !canRead(actor, category, groupIds)) return false;
	if (!thread) return true;
	if (thread.hidden || thread.archived) return false;
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

export function fold(text: string): string {
	let out = '';
	for (const c of text.normalize('NFC')) out += foldChar(c);
	return out;
}

/** The words of a search query, folded, for FTS5 (each quoted, matched as a prefix) and for highlighting. */
export function queryTerms(q: string): string[] {
	return [...new Set(fold(q).split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0))].slice(0, 8);
}

export function ftsQuery(terms: string[]): string {
	return terms.map((t) => `"${t}"*`).join(' ');
}

/**
 * A window of plain text around the first match, with every match wrapped by `open`/`close`. Works on the original
 * text (NFC) by matching its folded copy, so "keshilli" marks "këshilli". The caller escapes HTML (segments are
 * returned so that escaping stays with the caller).
 */
export function highlight(text: string, terms: string[], width = 160): { text: string; mark: boolean }[] {
	const original = [...text.normalize('NFC')];
	const foldedChars = original.map(foldChar);
	const foldedText = foldedChars.join('');
	// From a code-unit offset in the folded text to the code-point index shared by both arrays.
	const pointAt = new Int32Array(foldedText.length + 1);
	for (let i = 0, unit = 0; i < foldedChars.length; unit += foldedChars[i].length, i++) pointAt[unit] = i;
	pointAt[foldedText.length] = foldedChars.length;
	const marks = new Array<boolean>(original.length).fill(false);
	let first = -1;
	for (const term of terms) {
		const re = new RegExp(`(?<![\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\p{L}\\p{N}]*`, 'gu');
		for (const m of foldedText.matchAll(re)) {
			const start = pointAt[m.index];
			const len = pointAt[m.index + m[0].length] - start;
			for (let i = start; i < start + len; i++) marks[i] = true;
			if (first < 0 || start < first) first = start;
		}
	}
	let from = Math.max(0, (first < 0 ? 0 : first) - Math.floor(width / 3));
	let to = Math.min(original.length, from + width);
	if (to === original.length) from = Math.max(0, to - width);
	const segments: { text: string; mark: boolean }[] = [];
	if (from > 0) segments.push({ text: '…', mark: false });
	for (let i = from; i < to; i++) {
		const last = segments[segments.length - 1];
		if (last && last.mark === marks[i] && last.text !== '…') last.text += original[i];
		else segments.push({ text: original[i], mark: marks[i] });
	}
	if (to < original.length) segments.push({ text: '…', mark: false });
	return segments;
}
