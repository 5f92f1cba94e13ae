/**
 * The stored updates of co-edited documents, passed between the nodes that hold them (README "Run several nodes").
 * Absent in a single process. DocumentsService tells it each update once the log has stored it, with its number in
 * the log; it hands back the other nodes' updates of the documents this node holds, which are applied without being
 * stored again. It is only a fast path: whatever it loses (Redis away, a trimmed stream, a node killed between its
 * commit and its message) a node takes from the log itself, which is where the numbers come from.
 */
export interface DocumentFeed {
	/** Where the document's feed stands now; read from here after loading the log, nothing stored since is missed. */
	mark(name: string): Promise<string>;
	/** Passes the document's updates told from `from` on (those of every node but this one) to `heard`. */
	follow(name: string, from: string, heard: (seq: number, update: Uint8Array) => void): void;
	unfollow(name: string): void;
	/** Tells the other nodes of an update stored as number `seq` (never throws; a failure is caught up later). */
	tell(name: string, seq: number, update: Uint8Array): void;
	/** The log was merged up to `throughSeq`: what the feed holds from before is no longer needed by a newcomer. */
	merged(name: string): void;
	/** Called when the feed may have lost updates (Redis came back): each held document catches up from its log. */
	onGap(listener: () => void): void;
	/** Who is in each document, across the nodes. */
	readonly presence: AwarenessFeed;
}

/** Presence (awareness) of the people in a document, passed between nodes; never stored. */
export interface AwarenessFeed {
	/**
	 * Hears the other nodes' awareness updates of a document; `asked` answers a node that has just opened it with
	 * this node's own people (null: nobody here). Returns what `say` and `leave` need.
	 */
	join(name: string, heard: (update: Uint8Array) => void, asked: () => Uint8Array | null): { say(update: Uint8Array): void; leave(): void };
}
