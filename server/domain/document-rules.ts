import * as Y from 'yjs';

/**
 * What one writer may do to a co-edited text, so that no single update can break it for everyone (a text nested
 * 15,000 levels deep showed empty in every browser and could no longer be versioned or frozen).
 */
export const DOCUMENT_LIMITS = {
	/** One update: a long pasted text is a few hundred KB. */
	updateBytes: 1024 * 1024,
	/** A whole text, as its stored state plus what was written since: a long policy paper is well under 1 MB. */
	documentBytes: 16 * 1024 * 1024,
	/** Nodes in nodes (a list in a list in a table cell is about 8); below the renderers' bound (MAX_NESTING). */
	depth: 40,
	/** One member's writes over all their connections: typing fast is about 10 updates a second. */
	updatesPerMinute: 1200,
	bytesPerMinute: 8 * 1024 * 1024
} as const;

/**
 * What a kind's documents may hold. `editor`: the drafts editor's text (its nodes and marks in the one XmlFragment
 * it binds), anything else is refused; `any`: any Yjs content. Size, nesting and write rate are bounded for both.
 */
export type DocumentContent = 'editor' | 'any';

/** Why an update is refused. `out_of_sync`: it builds on changes the server never took; a fresh sync repairs it. */
export type UpdateProblem = 'update_too_large' | 'document_too_large' | 'unknown_content' | 'too_deep' | 'out_of_sync';

/** The nodes and marks of the editor's schema (StarterKit and tables), as y-tiptap stores them in the text. */
const NODES = new Set(['paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'listItem', 'codeBlock', 'hardBreak', 'horizontalRule', 'table', 'tableRow', 'tableHeader', 'tableCell']);
const MARKS = new Set(['bold', 'italic', 'strike', 'code', 'link', 'underline', 'suggestion']);
/** y-tiptap names a mark that may overlap itself `<mark>--<8 characters of hash>`. */
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/** The mark a formatting attribute's key is read as in the browser (y-tiptap drops a hash from the name). */
export const markNameOf = (key: string): string => HASHED_MARK.exec(key)?.[1] ?? key;
/** The ProseMirror document is the XmlFragment of this name; the text has no other root. */
const ROOT = 'default';

/** Null when the update may be applied to `doc` (whose state is about `documentBytes` long); else why not. */
export function updateProblem(doc: Y.Doc, update: Uint8Array, documentBytes: number, content: DocumentContent): UpdateProblem | null {
	if (update.length > DOCUMENT_LIMITS.updateBytes) return 'update_too_large';
	if (documentBytes + update.length > DOCUMENT_LIMITS.documentBytes) return 'document_too_large';
	const { structs } = Y.decodeUpdate(update);
	const items = structs.filter((s): s is Y.Item => s instanceof Y.Item);
	if (content === 'editor' && !items.every(knownContent)) return 'unknown_content';
	return new Placement(doc, items, structs, content === 'editor' ? ROOT : null).problem();
}

/**
 * Whether applying `update` would change `doc`: content it does not hold yet, or a deletion of something it still
 * shows. A reconnecting client's sync step 2 usually holds only what the document has (and all of its deletions).
 */
export function addsTo(doc: Y.Doc, update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	if (structs.some((s) => !(s instanceof Y.Skip) && s.id.clock + s.length > Y.getState(doc.store, s.id.client))) return true;
	for (const [client, ranges] of ds.clients) {
		const held = doc.store.clients.get(client) ?? [];
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			if (clock + len > state) return true;
			for (let i = Y.findIndexSS(held, clock); i < held.length && held[i].id.clock < clock + len; i++) if (!held[i].deleted) return true;
		}
	}
	return false;
}

function knownContent(item: Y.Item): boolean {
	const content = item.content;
	if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) return true;
	// Node attributes (a heading's level, a link's target) are values under a name.
	if (content instanceof Y.ContentAny) return item.parentSub !== null;
	if (content instanceof Y.ContentFormat) return MARKS.has(markNameOf(content.key));
	if (content instanceof Y.ContentType && item.parentSub === null) {
		const type = content.type;
		return type instanceof Y.XmlText || (type instanceof Y.XmlElement && NODES.has(type.nodeName));
	}
	return false;
}

/** Where an item goes: the root, a node already in the text, a node of the same update, or nowhere known. */
type Parent = { root: string } | { type: Y.AbstractType<unknown> } | { node: Y.Item } | 'gone' | 'missing' | 'invalid';

/**
 * Where each item of an update lands and how deep its nodes are, read from the update and the text without
 * applying anything. Yjs writes an item's parent only when it has no neighbour, so most are found through the
 * neighbour (`origin`), in the update or in the text. Loops are iterative and remembered: an update may hold long
 * chains (every paragraph of a pasted text follows the one before).
 */
class Placement {
	/** The update's structs by client, in clock order (GC: deleted content a peer no longer keeps). */
	readonly #byClient = new Map<number, (Y.Item | Y.GC)[]>();
	readonly #parents = new Map<Y.Item, Parent>();
	readonly #depths = new Map<Y.Item, number>();

	constructor(
		private readonly doc: Y.Doc,
		private readonly items: Y.Item[],
		structs: (Y.Item | Y.GC | Y.Skip)[],
		/** The only root the text may have, when it has one. */
		private readonly root: string | null
	) {
		for (const struct of structs) {
			if (struct instanceof Y.Skip) continue;
			const list = this.#byClient.get(struct.id.client) ?? [];
			list.push(struct);
			this.#byClient.set(struct.id.client, list);
		}
	}

	problem(): UpdateProblem | null {
		let problem: UpdateProblem | null = null;
		for (const item of this.items) {
			const parent = this.#parentOf(item);
			if (parent === 'invalid' || (this.root !== null && typeof parent === 'object' && 'root' in parent && parent.root !== this.root)) return 'unknown_content';
			if (parent === 'missing') problem = 'out_of_sync';
			else if (item.content instanceof Y.ContentType && this.#depth(item) > DOCUMENT_LIMITS.depth) return 'too_deep';
		}
		return problem;
	}

	/** The struct of this update that holds `id`'s clock. */
	#inUpdate(id: Y.ID): Y.Item | Y.GC | undefined {
		const list = this.#byClient.get(id.client);
		if (!list) return undefined;
		let [lo, hi] = [0, list.length - 1];
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const s = list[mid];
			if (id.clock < s.id.clock) hi = mid - 1;
			else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
			else return s;
		}
		return undefined;
	}

	#inText(id: Y.ID): Y.Item | 'gone' | 'missing' {
		if (Y.getState(this.doc.store, id.client) <= id.clock) return 'missing';
		const struct = Y.getItem(this.doc.store, id);
		return struct instanceof Y.Item ? struct : 'gone';
	}

	/** The node an item names as its parent. */
	#node(id: Y.ID): Parent {
		const inUpdate = this.#inUpdate(id);
		if (inUpdate instanceof Y.GC) return 'gone';
		if (inUpdate) return inUpdate.content instanceof Y.ContentType ? { node: inUpdate } : 'invalid';
		const inText = this.#inText(id);
		if (typeof inText === 'string') return inText;
		return inText.content instanceof Y.ContentType ? { type: inText.content.type } : 'invalid';
	}

	#parentOf(item: Y.Item): Parent {
		const chain: Y.Item[] = [];
		const seen = new Set<Y.Item>();
		let current = item;
		let parent: Parent;
		for (;;) {
			const known = this.#parents.get(current);
			if (known) {
				parent = known;
				break;
			}
			if (seen.has(current)) {
				parent = 'invalid';
				break;
			}
			seen.add(current);
			chain.push(current);
			const named = current.parent as unknown as string | Y.ID | null;
			if (typeof named === 'string') {
				parent = { root: named };
				break;
			}
			if (named) {
				parent = this.#node(named);
				break;
			}
			const neighbour = current.origin ?? current.rightOrigin;
			const inUpdate = neighbour ? this.#inUpdate(neighbour) : undefined;
			if (inUpdate instanceof Y.Item) {
				current = inUpdate;
				continue;
			}
			const inText = inUpdate ? 'gone' : neighbour ? this.#inText(neighbour) : 'invalid';
			// A neighbour already in the text knows its parent.
			parent = typeof inText === 'string' ? inText : inText.parent instanceof Y.AbstractType ? { type: inText.parent } : 'gone';
			break;
		}
		for (const c of chain) this.#parents.set(c, parent);
		return parent;
	}

	/** How deep a node of this update would sit (the root's children are at 1). */
	#depth(node: Y.Item): number {
		const path: Y.Item[] = [];
		let current = node;
		let base: number;
		for (;;) {
			const known = this.#depths.get(current);
			if (known !== undefined) {
				base = known;
				break;
			}
			path.push(current);
			if (path.length > DOCUMENT_LIMITS.depth) return path.length;
			const parent = this.#parentOf(current);
			if (typeof parent === 'object' && 'node' in parent) {
				current = parent.node;
				continue;
			}
			base = typeof parent === 'object' && 'type' in parent ? depthInText(parent.type) : 0;
			break;
		}
		path.reverse().forEach((n, i) => this.#depths.set(n, base + i + 1));
		return this.#depths.get(node)!;
	}
}

/** A type's depth in the text (the root is at 0), counted no further than the limit. */
function depthInText(type: Y.AbstractType<unknown>): number {
	let depth = 0;
	for (let t = type; t._item && depth <= DOCUMENT_LIMITS.depth; t = t._item.parent as Y.AbstractType<unknown>) depth++;
	return depth;
}

/**
 * Each member's writes in the current minute, over all their connections and texts. Pure: the clock is passed in.
 * One entry per member who wrote (bounded by the members), renewed when their minute is over.
 */
export class WriteBudget {
	readonly #used = new Map<number, { from: number; updates: number; bytes: number }>();

	/** Counts a write; false when it goes past the member's minute (the write is then refused). */
	take(memberId: number, bytes: number, now: number): boolean {
		let used = this.#used.get(memberId);
		if (!used || now - used.from >= 60_000) {
			used = { from: now, updates: 0, bytes: 0 };
			this.#used.set(memberId, used);
		}
		used.updates++;
		used.bytes += bytes;
		return used.updates <= DOCUMENT_LIMITS.updatesPerMinute && used.bytes <= DOCUMENT_LIMITS.bytesPerMinute;
	}
}
