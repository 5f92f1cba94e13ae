import * as Y from 'yjs';

// A passage of a co-edited text is named by two anchors: Yjs relative positions, base64-encoded, made by the editor
// around a selection. They survive edits around them, so a comment or an amendment keeps pointing at its words.

/** A base64 anchor as the editor sends one (bounded: it is stored with the comment or amendment). */
export const validAnchor = (a: string | null | undefined): a is string => typeof a === 'string' && a.length > 0 && a.length < 500 && /^[A-Za-z0-9+/=]+$/.test(a);

/** Decodes a base64 Yjs relative position; null when it is not one. */
function relativePosition(b64: string): Y.RelativePosition | null {
	if (!validAnchor(b64)) return null;
	try {
		return Y.decodeRelativePosition(Buffer.from(b64, 'base64'));
	} catch {
		return null;
	}
}

/** Where two anchors point in the document, when both lie in the same block of text with the end not before the start. */
function spanIn(doc: Y.Doc, startB64: string, endB64: string): { text: Y.XmlText; from: number; to: number } | null {
	const start = relativePosition(startB64);
	const end = relativePosition(endB64);
	if (!start || !end) return null;
	doc.getXmlFragment('default');
	const a = Y.createAbsolutePositionFromRelativePosition(start, doc);
	const b = Y.createAbsolutePositionFromRelativePosition(end, doc);
	if (!a || !b || a.type !== b.type || !(a.type instanceof Y.XmlText) || b.index < a.index) return null;
	return { text: a.type, from: a.index, to: b.index };
}

/** The text between two anchors in a document state, when both lie in the same block of text (null otherwise). */
export function passageOf(state: Uint8Array, startB64: string, endB64: string): string | null {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		const span = spanIn(doc, startB64, endB64);
		if (!span || span.to === span.from) return null;
		return plainOf(span.text).slice(span.from, span.to);
	} catch {
		return null; // decodes as a position, but of nothing this document has
	} finally {
		doc.destroy();
	}
}

/** Where a passage lies in the text now: its block (the Y.XmlText's id), its span there, and its words. */
export interface PassageNow {
	block: string;
	from: number;
	to: number;
	text: string;
}

/**
 * Where each passage (a pair of anchors) lies in a document state now, decoded once for all of them; null for one whose
 * anchors no longer make a passage within one block (its words deleted, or split between blocks).
 */
export function passagesNow(state: Uint8Array, passages: { start: string; end: string }[]): (PassageNow | null)[] {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return passages.map(({ start, end }) => {
			try {
				const span = spanIn(doc, start, end);
				const id = span?.text._item?.id;
				if (!span || !id) return null;
				return { block: `${id.client}:${id.clock}`, from: span.from, to: span.to, text: plainOf(span.text).slice(span.from, span.to) };
			} catch {
				return null;
			}
		});
	} finally {
		doc.destroy();
	}
}

/** Whether two passages share any of their words. */
export const overlapping = (a: PassageNow, b: PassageNow) => a.block === b.block && a.from < b.to && b.from < a.to;

/** Replaces the text between two anchors (in one block) by `replacement`, in the caller's transaction. */
export function replacePassage(doc: Y.Doc, startB64: string, endB64: string, replacement: string): boolean {
	const span = spanIn(doc, startB64, endB64);
	if (!span) return false;
	span.text.delete(span.from, span.to - span.from);
	if (replacement) span.text.insert(span.from, replacement);
	return true;
}

/** A Y.XmlText's characters without formatting. */
function plainOf(text: Y.XmlText): string {
	return text
		.toDelta()
		.map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
		.join('');
}

/**
 * Makes the text of `doc` that of a version's stored state, in one transaction of the caller's: the top-level nodes
 * the two share at the start and at the end stay as they are (comments anchored in them keep their words), the
 * ones between are replaced by copies of the version's.
 */
export function restoreText(doc: Y.Doc, state: Uint8Array): void {
	const source = new Y.Doc();
	try {
		Y.applyUpdate(source, state);
		// A version holds only what the editor makes: elements and text (no hooks).
		const wanted = source.getXmlFragment('default').toArray() as (Y.XmlElement | Y.XmlText)[];
		const text = doc.getXmlFragment('default');
		const now = text.toArray();
		const same = (a: unknown, b: unknown) => String(a) === String(b);
		let head = 0;
		while (head < now.length && head < wanted.length && same(now[head], wanted[head])) head++;
		let tail = 0;
		while (tail < now.length - head && tail < wanted.length - head && same(now[now.length - 1 - tail], wanted[wanted.length - 1 - tail])) tail++;
		text.delete(head, now.length - head - tail);
		text.insert(head, wanted.slice(head, wanted.length - tail).map((node) => node.clone() as Y.XmlElement | Y.XmlText));
	} finally {
		source.destroy();
	}
}
