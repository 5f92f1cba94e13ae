import type SQLite from 'better-sqlite3';

export interface StoredUpdate {
	/** Its place in the document's log: 1, 2, 3…, continuing after merges. */
	seq: number;
	update: Uint8Array;
}

export interface StoredDocument {
	state: Uint8Array | null;
	/** The sequence number the merged state goes up to (0 for none). */
	stateSeq: number;
	updates: StoredUpdate[];
}

/**
 * Where collaborative documents' update logs are kept: one interface, one implementation per database. SQLite's
 * answers synchronously (DocumentStore: an update appended inside the websocket message handler, nothing awaited
 * before it is relayed); PostgreSQL's with promises (PostgresDocumentStore), which DocumentsService chains per
 * document so that updates are stored, applied and relayed in the order they came.
 */
export interface DocumentLog {
	/** The merged state and the updates logged after it, in order. */
	load(name: string): StoredDocument | Promise<StoredDocument>;
	/**
	 * Appends one update to the document's log and answers the number it took: `seq` where one process writes
	 * (SQLite), the next free number where several nodes write the same log (PostgreSQL). Fails if the write fails.
	 */
	append(name: string, seq: number, update: Uint8Array): number | Promise<number>;
	/**
	 * Appends several updates as the next numbers of the log in one statement (all or none) and answers the numbers
	 * they took, in order: where writes answer later, those that waited go out together (DocumentsService).
	 */
	appendMany?(name: string, updates: Uint8Array[]): Promise<number[]>;
	/**
	 * What the log holds beyond `afterSeq`: the merged state when it goes further, and the updates after both (a node
	 * that missed other nodes' updates catches up with it).
	 */
	since(name: string, afterSeq: number): StoredDocument | Promise<StoredDocument>;
	/** Replaces the log up to `throughSeq` by one merged state, in one transaction. */
	compact(name: string, state: Uint8Array, throughSeq: number, now: number): void | Promise<void>;
	/** Moves a stored update that cannot be applied out of the log. */
	quarantine(name: string, stored: StoredUpdate, error: string, now: number): void | Promise<void>;
}

/**
 * The update logs of collaborative documents on SQLite. Synchronous (better-sqlite3 directly, not Kysely): an update
 * is appended inside the websocket message handler, before the server relays it, with nothing awaited in between.
 */
export class DocumentStore implements DocumentLog {
	readonly #state: SQLite.Statement<[string], { state: Buffer; seq: number }>;
	readonly #updates: SQLite.Statement<[string], { seq: number; update: Buffer }>;
	readonly #append: SQLite.Statement<[string, number, Uint8Array]>;
	readonly #upsertState: SQLite.Statement<[string, Uint8Array, number, number]>;
	readonly #dropUpdates: SQLite.Statement<[string, number]>;
	readonly #quarantine: SQLite.Statement<[string, Uint8Array, string, number]>;
	readonly #dropUpdate: SQLite.Statement<[string, number]>;
	readonly #countUpdates: SQLite.Statement<[string], { n: number }>;

	constructor(private readonly raw: SQLite.Database) {
		this.#state = raw.prepare('select state, seq from doc_states where name = ?');
		this.#updates = raw.prepare('select seq, "update" from doc_updates where name = ? order by seq');
		this.#append = raw.prepare('insert into doc_updates (name, seq, "update") values (?, ?, ?)');
		this.#upsertState = raw.prepare(
			'insert into doc_states (name, state, seq, updated_at) values (?, ?, ?, ?) on conflict (name) do update set state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at'
		);
		this.#dropUpdates = raw.prepare('delete from doc_updates where name = ? and seq <= ?');
		this.#quarantine = raw.prepare('insert into doc_quarantine (name, "update", error, created_at) values (?, ?, ?, ?)');
		this.#dropUpdate = raw.prepare('delete from doc_updates where name = ? and seq = ?');
		this.#countUpdates = raw.prepare('select count(*) as n from doc_updates where name = ?');
	}

	/** The merged state and the updates logged after it, in order. May be awaited (tests slow it down). */
	load(name: string): StoredDocument | Promise<StoredDocument> {
		const merged = this.#state.get(name);
		const updates = this.#updates.all(name).map((r) => ({ seq: r.seq, update: new Uint8Array(r.update) }));
		return { state: merged ? new Uint8Array(merged.state) : null, stateSeq: merged?.seq ?? 0, updates };
	}

	/** Appends one update as number `seq` of the document's log. Throws if the write fails. */
	append(name: string, seq: number, update: Uint8Array): number {
		this.#append.run(name, seq, update);
		return seq;
	}

	/** One process writes a SQLite log, so nothing is ever missed; here for the interface (and tests). */
	since(name: string, afterSeq: number): StoredDocument {
		const all = this.load(name) as StoredDocument;
		const state = all.stateSeq > afterSeq ? all.state : null;
		return { state, stateSeq: state ? all.stateSeq : 0, updates: all.updates.filter((u) => u.seq > afterSeq) };
	}

	/** Replaces the log up to `throughSeq` by one merged state, in one transaction. */
	compact(name: string, state: Uint8Array, throughSeq: number, now: number): void {
		this.raw.transaction(() => {
			this.#upsertState.run(name, state, throughSeq, now);
			this.#dropUpdates.run(name, throughSeq);
		}).immediate();
	}

	/** Moves a stored update that cannot be applied out of the log. */
	quarantine(name: string, stored: StoredUpdate, error: string, now: number): void {
		this.raw.transaction(() => {
			this.#quarantine.run(name, stored.update, error, now);
			this.#dropUpdate.run(name, stored.seq);
		}).immediate();
	}

	logLength(name: string): number {
		return this.#countUpdates.get(name)?.n ?? 0;
	}
}
