import { diffWordsWithSpace } from 'diff';

export interface DiffSegment {
	text: string;
	kind: 'same' | 'added' | 'removed';
}

/**
 * A word-level diff of two plain texts (blocks separated by blank lines), as segments to render in order: removed
 * words, then the words that replace them. Whitespace is kept, so paragraphs survive (render with pre-wrap).
 */
export function wordDiff(before: string, after: string): DiffSegment[] {
	const segments: DiffSegment[] = [];
	// Bounded: two very different long texts would otherwise take the diff's quadratic time; past the limit the
	// whole of one text is shown replacing the other.
	const changes = diffWordsWithSpace(before, after, { maxEditLength: 20_000, timeout: 2_000 }) ?? [
		{ value: before, removed: true, added: false, count: 1 },
		{ value: after, added: true, removed: false, count: 1 }
	];
	for (const change of changes) {
		const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
		const last = segments[segments.length - 1];
		if (last && last.kind === kind) last.text += change.value;
		else segments.push({ text: change.value, kind });
	}
	return segments;
}

/** How many words a diff adds and removes. */
export function diffStats(segments: DiffSegment[]): { added: number; removed: number } {
	const words = (s: string) => s.split(/\s+/u).filter(Boolean).length;
	let added = 0;
	let removed = 0;
	for (const s of segments) {
		if (s.kind === 'added') added += words(s.text);
		if (s.kind === 'removed') removed += words(s.text);
	}
	return { added, removed };
}
