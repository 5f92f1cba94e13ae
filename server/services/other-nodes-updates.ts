import * as Y from 'yjs';
import type { LogOrder } from '../domain/log-order.js';
import type { DocumentLog } from '../db/repositories/document.repository.js';
import type { Logger } from '../logger.js';

/** An update another node stored and told of (DocumentFeed), or one read back from the log to catch up. */
export const OTHER_NODE_ORIGIN = Symbol('other node');
/** How long an update told out of order waits for the ones before it before the log is read for them. */
const GAP_MS = 300;

/** What this part reads and keeps of a document held in memory (DocumentsService's Live). */
export interface HeldDocument {
	readonly name: string;
	readonly doc: Y.Doc;
	bytes: number;
	/** Where this node stands in the document's log (server/domain/log-order.ts). */
	order: LogOrder<Uint8Array>;
	/** Reads the log for the updates waiting ones lack, unless they come first. */
	gap: NodeJS.Timeout | null;
	/** A catch-up from the log under way, and whether another was asked for meanwhile. */
	catchingUp: Promise<void> | null;
	again: boolean;
}

export interface OtherNodesDeps<L extends HeldDocument> {
	store: Pick<DocumentLog, 'since'>;
	logger: Logger;
	/** Counts number `seq` as in memory (false when it already was). */
	take(live: L, seq: number, update: Uint8Array): boolean;
	/** Told after each update applied (the log is merged when long). */
	applied(live: L): void;
	/** Whether `live` is still the document held under its name (not let go meanwhile). */
	held(live: L): boolean;
}

/**
 * The updates of a document that other nodes stored, applied on this node in the log's order: told through the
 * feed (a later one waits for those before it), or read back from the log after a gap or when Redis comes back.
 */
export class OtherNodesUpdates<L extends HeldDocument> {
	constructor(private readonly deps: OtherNodesDeps<L>) {}

	/** Another node's stored update, as the feed tells it. */
	heard(live: L, seq: number, update: Uint8Array): void {
		if (live.order.holds(seq)) return;
		if (seq !== live.order.last + 1) {
			live.order.wait(seq, update);
			live.gap ??= setTimeout(() => {
				live.gap = null;
				if (live.order.waiting) this.catchUp(live);
			}, GAP_MS);
			return;
		}
		this.#apply(live, seq, update);
		for (let next = live.order.next(); next; next = live.order.next()) this.#apply(live, live.order.last + 1, next);
	}

	/**
	 * Reads from the log what this node lacks (beyond order.last: the merged state if it goes further, then each
	 * update) and applies it. Numbers are given only once every lower one has committed
	 * (PostgresDocumentStore.append), so after the read every number up to the last one read is in memory: one
	 * missing from the log was quarantined, not still on its way.
	 */
	catchUp(live: L): void {
		if (live.catchingUp) {
			live.again = true;
			return;
		}
		const run = async () => {
			do {
				live.again = false;
				const stored = await this.deps.store.since(live.name, live.order.last);
				if (!this.deps.held(live)) return;
				if (stored.state && stored.stateSeq > live.order.last) {
					Y.applyUpdate(live.doc, stored.state, OTHER_NODE_ORIGIN);
					live.bytes = Math.max(live.bytes, stored.state.length);
					live.order.reach(stored.stateSeq);
				}
				for (const entry of stored.updates) this.#apply(live, entry.seq, entry.update);
				live.order.reach(stored.updates.at(-1)?.seq ?? 0);
			} while (live.again);
		};
		live.catchingUp = run()
			.catch((error: unknown) => {
				// Tried again at the next gap or reconnection; meanwhile this node's clients miss the other node's edits.
				this.deps.logger.error('could not catch up a document from its log', { doc: live.name, error: String(error) });
			})
			.finally(() => (live.catchingUp = null));
	}

	#apply(live: L, seq: number, update: Uint8Array): void {
		if (!this.deps.take(live, seq, update)) return;
		try {
			Y.applyUpdate(live.doc, update, OTHER_NODE_ORIGIN);
		} catch (error) {
			// Stored by another node, so the log has it: quarantined by the next load, never fatal here.
			this.deps.logger.error('could not apply an update from another node', { doc: live.name, seq, error: String(error) });
		}
		this.deps.applied(live);
	}
}
