import { describe, expect, it } from 'vitest';
import { buildTree, trimTree, canPost, canRead, fold, ftsQuery, highlight, maySetSpaceVisibility, parseTags, queryTerms, spaceVisibilityAllowed } from '../../server/domain/forum.js';
import type { Actor } from '../../server/domain/permissions.js';

const member: Actor = { id: 1, role: 'member', status: 'active' };
const moderator: Actor = { id: 2, role: 'moderator', status: 'active' };
const applicant: Actor = { id: 3, role: 'member', status: 'applicant' };
const inGroup = new Set([7]);
const none = new Set<number>();

describe('visibility', () => {
	it('public: anyone reads; members: active members; group: the group, moderators', () => {
		const pub = { visibility: 'public', groupId: null } as const;
		const mem = { visibility: 'members', groupId: null } as const;
		const grp = { visibility: 'group', groupId: 7 } as const;
		expect([canRead(null, pub, none), canRead(null, mem, none), canRead(null, grp, none)]).toEqual([true, false, false]);
		expect([canRead(applicant, mem, none), canRead(member, mem, none)]).toEqual([false, true]);
		expect([canRead(member, grp, none), canRead(member, grp, inGroup), canRead(moderator, grp, none)]).toEqual([false, true, true]);
	});

	it('posting needs an active member who can read, in a thread open for replies', () => {
		const pub = { visibility: 'public', groupId: null } as const;
		expect(canPost(null, pub, none)).toBe(false);
		expect(canPost(applicant, pub, none)).toBe(false);
		expect(canPost(member, pub, none, { locked: false, archived: false, hidden: false })).toBe(true);
		expect(canPost(member, pub, none, { locked: true, archived: false, hidden: false })).toBe(false);
		expect(canPost(moderator, pub, none, { locked: true, archived: false, hidden: false })).toBe(true);
		expect(canPost(moderator, pub, none, { locked: false, archived: true, hidden: false })).toBe(false);
	});
});

describe("a space's visibility", () => {
	it('is set by coordinators, and to the group only for a group space', () => {
		expect(maySetSpaceVisibility({ id: 4, role: 'coordinator', status: 'active' })).toBe(true);
		expect(maySetSpaceVisibility(moderator)).toBe(false);
		expect(spaceVisibilityAllowed({ visibility: 'group', groupId: 7 }, 'members')).toBe(true);
		expect(spaceVisibilityAllowed({ visibility: 'members', groupId: 7 }, 'group')).toBe(true);
		expect(spaceVisibilityAllowed({ visibility: 'public', groupId: null }, 'group')).toBe(false);
		expect(spaceVisibilityAllowed({ visibility: 'public', groupId: null }, 'secret')).toBe(false);
	});
});

describe('threads as trees', () => {
	it('nests replies and counts what is deeper than the limit', () => {
		const posts = [
			{ id: 1, parentId: null, depth: 0 },
			{ id: 2, parentId: 1, depth: 1 },
			{ id: 3, parentId: 2, depth: 2 },
			{ id: 4, parentId: 3, depth: 3 },
			{ id: 5, parentId: 1, depth: 1 }
		];
		const tree = buildTree(posts, 2);
		expect(tree.map((n) => n.id)).toEqual([1]);
		expect(tree[0].replies.map((n) => n.id)).toEqual([2, 5]);
		expect(tree[0].replies[0].replies[0].id).toBe(3);
		expect(tree[0].replies[0].replies[0].replies).toEqual([]);
		expect(tree[0].replies[0].replies[0].more).toBe(1);
	});

	it('keeps a few replies under each top-level reply, the nearest first, and counts the rest', () => {
		// 1 ─ 2 ─ 4 ─ 6
		//   ├ 3 ─ 5
		//   └ 7
		const posts = [
			{ id: 1, parentId: null, depth: 1 },
			{ id: 2, parentId: 1, depth: 2 },
			{ id: 3, parentId: 1, depth: 2 },
			{ id: 4, parentId: 2, depth: 3 },
			{ id: 5, parentId: 3, depth: 3 },
			{ id: 6, parentId: 4, depth: 4 },
			{ id: 7, parentId: 1, depth: 2 }
		];
		const [root] = trimTree(buildTree(posts, 5, 0), 4);
		expect(root.replies.map((n) => n.id)).toEqual([2, 3, 7]);
		expect(root.replies[0].replies.map((n) => n.id)).toEqual([4]);
		expect(root.replies[1].replies).toEqual([]);
		expect(root.replies[1].more).toBe(1); // 5 is behind "continue this thread"
		expect(root.replies[0].replies[0].more).toBe(1); // and so is 6
		expect(root.more).toBe(0);
	});
});

describe('search text', () => {
	it('folds Albanian and Greek diacritics and case', () => {
		expect(fold('Këshilli Çështja')).toBe('keshilli ceshtja');
		expect(fold('Πολιτική ΆΡΤΑ')).toBe('πολιτικη αρτα');
		expect(queryTerms('  Politikë, "kulturore" ')).toEqual(['politike', 'kulturore']);
		expect(ftsQuery(['politike', 'kult'])).toBe('"politike"* "kult"*');
	});

	it('marks matches in the original text', () => {
		const segments = highlight('Mbledhja e këshillit për politikën kulturore', ['keshill', 'politike']);
		expect(segments.filter((s) => s.mark).map((s) => s.text)).toEqual(['këshillit', 'politikën']);
		expect(segments.map((s) => s.text).join('')).toBe('Mbledhja e këshillit për politikën kulturore');
		expect(highlight('Η πολιτική του Δήμου', ['πολιτικη']).find((s) => s.mark)?.text).toBe('πολιτική');
	});

	it('cuts long text around the first match', () => {
		const text = `${'fjalë '.repeat(100)}objektivi ${'tjetër '.repeat(100)}`;
		const out = highlight(text, ['objektiv'], 60);
		expect(out[0].text).toBe('…');
		expect(out.at(-1)!.text).toBe('…');
		expect(out.find((s) => s.mark)?.text).toBe('objektivi');
	});
});

describe('tags', () => {
	it('keeps up to five clean tags', () => {
		expect(parseTags('#Buxheti, ligji  ligji; <script> a b c d e')).toEqual(['buxheti', 'ligji', 'a', 'b', 'c']);
	});
});
