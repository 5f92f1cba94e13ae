import * as Y from 'yjs';
import { runsOf, SUGGESTION, suggestionAttrs, type SuggestionAttrs } from '../../src/lib/shared/suggestions.js';
import { markNameOf } from './document-rules.js';
import { canCommentDraft, canEditDraft, canManageDraft, type DraftFacts } from './drafts.js';
import type { Actor } from './permissions.js';

/** Suggestions are made on a text open to change, by anyone who may comment on it (editors too, by choice). */
export function canSuggestDraft(actor: Actor | null, d: DraftFacts): boolean {
	return canCommentDraft(actor, d) && (d.status === 'drafting' || d.status === 'review');
}

/** Stewards review suggestions: accepting or rejecting writes the text, so they must also be able to edit it. */
export function canReviewSuggestions(actor: Actor | null, d: DraftFacts): boolean {
	return canManageDraft(actor, d) && canEditDraft(actor, d);
}

/** During review a steward may put a suggestion to the assembly instead: it becomes an amendment. */
export function canAmendFromSuggestion(actor: Actor | null, d: DraftFacts): boolean {
	return canManageDraft(actor, d) && d.status === 'review';
}

type DeltaOp = { insert?: unknown; attributes?: Record<string, unknown> };

type Shape = { base: string; suggestions: Map<string, { attrs: SuggestionAttrs | null; words: string }> };

/**
 * What a suggester may not change, read from blocks of text: `base`, their words as they stand without any
 * suggestion (the words proposed for insertion left out, every other word with its formatting); and each suggestion's
 * attrs and words in them, by id.
 */
function shapeOf(texts: Y.XmlText[]): Shape {
	const suggestions: Shape['suggestions'] = new Map();
	const textBase = (text: Y.XmlText): unknown[] => {
		const ops: { insert: unknown; attributes: string }[] = [];
		for (const op of text.toDelta() as DeltaOp[]) {
			const { [SUGGESTION]: raw, ...rest } = op.attributes ?? {};
			if (raw !== undefined) {
				const attrs = suggestionAttrs(raw);
				// A malformed mark counts as someone else's suggestion: no suggester may add one.
				const key = attrs?.id ?? `?${JSON.stringify(raw)}`;
				const entry = suggestions.get(key) ?? { attrs, words: '' };
				entry.words += typeof op.insert === 'string' ? op.insert : JSON.stringify(op.insert);
				suggestions.set(key, entry);
				if (attrs?.kind === 'insert') continue;
			}
			const attributes = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
			const last = ops.at(-1);
			if (last && last.attributes === attributes && typeof last.insert === 'string' && typeof op.insert === 'string') last.insert += op.insert;
			else ops.push({ insert: op.insert, attributes });
		}
		return ops;
	};
	return { base: JSON.stringify(texts.map(textBase)), suggestions };
}

/** A suggestion mark as the guard keeps it: by its id, or (not a well-formed mark under the mark's own key) by its key. */
type Mark = { key: string; value: string; attrs: SuggestionAttrs | null };

const json = (value: unknown): string => {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value); // a BigInt, which JSON has no way to write
	}
};

/**
 * The suggestion mark a formatting item starts, if any. A null value ends a mark (words typed beside it, a suggestion
 * decided). A mark under a hashed key is read as a suggestion by the browser (see markNameOf), never by
 * listSuggestions: counted, as nobody's.
 */
function markOf(content: Y.ContentFormat): Mark | null {
	const { key, value } = content as { key: string; value: unknown };
	if (value === null || markNameOf(key) !== SUGGESTION) return null;
	const attrs = key === SUGGESTION ? suggestionAttrs(value) : null;
	return attrs ? { key: attrs.id, value: json(attrs), attrs } : { key: `?${key}`, value: json(value), attrs: null };
}

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** The suggestion marks an update's items write. */
function marksWritten(structs: Decoded['structs']): Mark[] {
	return structs.flatMap((s) => (s instanceof Y.Item && s.content instanceof Y.ContentFormat ? (markOf(s.content) ?? []) : []));
}

/** The suggestion marks of `doc` an update's deletions take off (read from the items deleted, as addsTo reads them). */
function marksTaken(doc: Y.Doc, ds: Decoded['ds']): Mark[] {
	const out: Mark[] = [];
	for (const [client, ranges] of ds.clients) {
		const structs = doc.store.clients.get(client) ?? [];
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			if (clock >= state) continue;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
				const struct = structs[i];
				const mark = struct instanceof Y.Item && !struct.deleted && struct.content instanceof Y.ContentFormat ? markOf(struct.content) : null;
				if (mark) out.push(mark);
			}
		}
	}
	return out;
}

/** The text node of `doc` that `type` (of a copy of it) is, or null when `doc` has no such text node. */
function sameTextIn(doc: Y.Doc, type: Y.XmlText): Y.XmlText | null {
	if (!type._item) return null;
	try {
		const item = Y.getItem(doc.store, type._item.id);
		return item instanceof Y.Item && !item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText ? item.content.type : null;
	} catch {
		return null; // an id `doc` has never seen: a text node the update made
	}
}

/**
 * Checks suggesters' updates (see `check`) and editors' (see `checkEdit`) on a copy of the text kept from one check
 * to the next and brought up to date with what was written since, so that a keystroke costs what it changes rather
 * than a copy of the whole text.
 */
export class SuggestionGuard {
	#copy: Y.Doc | null = null;
	/**
	 * The suggestion marks the text held while this guard watched it, by key: those of the copy, those editors took
	 * off since (undoing a decision writes them again) and those suggesters were let write. Kept when the copy goes:
	 * nothing in it names anyone against their will.
	 */
	readonly #held = new Map<string, Set<string>>();

	/**
	 * Whether an update only adds or removes suggestions of `me` (a member who may suggest but not edit): it changes
	 * no node (none added, removed or given attributes), the words of the blocks it changes stay as they were without
	 * suggestions, everyone else's suggestions stay as they were, and every suggestion that is new or changed is
	 * theirs, under the name their session gives. Applied to the copy, never to `doc`.
	 */
	check(doc: Y.Doc, update: Uint8Array, me: { id: number; name: string }): boolean {
		const copy = this.#upToDate(doc);
		const changed: Y.Transaction['changed'] = new Map();
		const see = (tr: Y.Transaction) => tr.changed.forEach((keys, type) => changed.set(type, new Set([...(changed.get(type) ?? []), ...keys])));
		copy.on('afterTransaction', see);
		try {
			Y.applyUpdate(copy, update);
		} finally {
			copy.off('afterTransaction', see);
		}
		const pairs: [Y.XmlText, Y.XmlText][] = [];
		for (const [type, keys] of changed) {
			const copied: unknown = type;
			const live = copied instanceof Y.XmlText ? sameTextIn(doc, copied) : null;
			if (!live || [...keys].some((k) => k !== null)) return this.#refuse();
			pairs.push([live, copied as Y.XmlText]);
		}
		const before = shapeOf(pairs.map(([live]) => live));
		const after = shapeOf(pairs.map(([, copied]) => copied));
		if (after.base !== before.base) return this.#refuse();
		for (const id of new Set([...before.suggestions.keys(), ...after.suggestions.keys()])) {
			const was = before.suggestions.get(id);
			const is = after.suggestions.get(id);
			if (was && is && JSON.stringify(was) === JSON.stringify(is)) continue;
			// Changed, added or removed: only one's own, well-formed, in one's own name.
			const mine = (s: typeof was) => !s || (s.attrs !== null && s.attrs.author === me.id && s.attrs.name === me.name);
			if (!mine(was) || !mine(is)) return this.#refuse();
		}
		// Held now: the copy has them, so no later catching up with the text brings them.
		this.#hold([...after.suggestions.values()].flatMap(({ attrs }) => (attrs ? [{ key: attrs.id, value: json(attrs) }] : [])));
		return true;
	}

	/**
	 * Whether an update of `me`, a member who may edit, leaves every suggestion its author's: each suggestion mark it
	 * writes is one the text holds or held, as it was (id, kind, author and name; the editor's binding writes them
	 * again around words typed or moved, and undoing a decision writes them back), or a new suggestion of theirs, under
	 * the name their session gives. Taking marks off (deciding a suggestion) and changing words are editing. Reads the
	 * update; only one that writes a suggestion mark brings the copy up to date, and is never applied to it.
	 */
	checkEdit(doc: Y.Doc, update: Uint8Array, me: { id: number; name: string }): boolean {
		const { structs, ds } = Y.decodeUpdate(update);
		this.#hold(marksTaken(doc, ds));
		const written = marksWritten(structs);
		if (!written.length) return true;
		this.#upToDate(doc);
		return written.every(({ key, value, attrs }) => {
			const held = this.#held.get(key);
			return held ? held.has(value) : attrs !== null && attrs.author === me.id && attrs.name === me.name;
		});
	}

	/** Lets the copy go (it may hold what the text does not: an update refused, or one that could not be stored). */
	forget(): void {
		this.#copy?.destroy();
		this.#copy = null;
	}

	#hold(marks: Pick<Mark, 'key' | 'value'>[]): void {
		for (const { key, value } of marks) this.#held.set(key, (this.#held.get(key) ?? new Set()).add(value));
	}

	/** Brings `update` into the copy and its suggestion marks into those held. */
	#take(copy: Y.Doc, update: Uint8Array): void {
		Y.applyUpdate(copy, update);
		this.#hold(marksWritten(Y.decodeUpdate(update).structs));
	}

	#refuse(): false {
		this.forget();
		return false;
	}

	#upToDate(doc: Y.Doc): Y.Doc {
		if (this.#copy) {
			const ahead = [...Y.decodeStateVector(Y.encodeStateVector(this.#copy))].some(([client, clock]) => clock > Y.getState(doc.store, client));
			if (!ahead) {
				this.#take(this.#copy, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.#copy)));
				return this.#copy;
			}
			this.forget();
		}
		this.#copy = new Y.Doc({ gc: false });
		this.#take(this.#copy, Y.encodeStateAsUpdate(doc));
		return this.#copy;
	}
}

/** `SuggestionGuard.check` on a copy made for this one update. */
export function onlySuggests(doc: Y.Doc, update: Uint8Array, me: { id: number; name: string }): boolean {
	const guard = new SuggestionGuard();
	try {
		return guard.check(doc, update, me);
	} finally {
		guard.forget();
	}
}

/** The passage an amendment made from a suggestion is about, in the block the suggestion lies in. */
export interface SuggestedPassage {
	text: Y.XmlText;
	/** Where the passage lies in the block once the suggestion is taken out (the original text). */
	from: number;
	to: number;
	original: string;
	replacement: string;
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * The passage of the suggestion `id`, widened to whole words (and, for an insertion between words, to the word
 * before it, so that the amendment names words of the text): its words as they are and as the suggestion would have
 * them. `not_found`: no such suggestion; `across_blocks`: it spans blocks; `entangled`: another suggestion lies
 * inside it (it would be decided with it).
 */
export function suggestedPassage(fragment: Y.XmlFragment, id: string): SuggestedPassage | 'not_found' | 'across_blocks' | 'entangled' {
	const runs = runsOf(fragment).filter((r) => r.attrs.id === id);
	if (!runs.length) return 'not_found';
	const text = runs[0].text;
	if (runs.some((r) => r.text !== text)) return 'across_blocks';
	const chars: { c: string; s: SuggestionAttrs | null }[] = [];
	for (const op of text.toDelta() as DeltaOp[]) {
		const s = suggestionAttrs(op.attributes?.[SUGGESTION]);
		for (const c of typeof op.insert === 'string' ? op.insert.split('') : ['\ufffc']) chars.push({ c, s });
	}
	let from = runs[0].index;
	let to = runs.at(-1)!.index + runs.at(-1)!.length;
	if (chars.slice(from, to).some(({ s }) => s !== null && s.id !== id)) return 'entangled';
	const plain = (i: number) => chars[i].s === null;
	while (from > 0 && plain(from - 1) && WORD.test(chars[from - 1].c)) from--;
	while (to < chars.length && plain(to) && WORD.test(chars[to].c)) to++;
	const ours = (i: number, kind: SuggestionAttrs['kind']) => chars[i].s?.id === id && chars[i].s?.kind === kind;
	const wordsOf = (skip: SuggestionAttrs['kind']) => chars.slice(from, to).filter((_, k) => !ours(from + k, skip)).map(({ c }) => c).join('');
	if (wordsOf('insert') === '') {
		while (from > 0 && plain(from - 1) && !WORD.test(chars[from - 1].c)) from--;
		while (from > 0 && plain(from - 1) && WORD.test(chars[from - 1].c)) from--;
	}
	let inserted = 0;
	for (let i = from; i < to; i++) if (ours(i, 'insert')) inserted++;
	return { text, from, to: to - inserted, original: wordsOf('insert'), replacement: wordsOf('delete') };
}
