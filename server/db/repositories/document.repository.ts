import type SQLite from 'better-sqlite3';

export interface StoredUpdate {
	id: number;
	update: Uint8Array;
}

export interface StoredDocument {
	state: Uint8Array | null;
	updates: StoredUpdate[];
}

/**
 * The update logs of collaborative documents. Synchronous (better-sqlite3 directly, not Kysely): an update is
 * appended inside the websocket message handler, before the server relays it, with nothing awaited in between.
 */
export class DocumentStore {
	readonly #state: SQLite.Statement<[string], { state: Buffer }>;
	readonly #updates: SQLite.Statement<[string], { id: number; update: Buffer }>;
	readonly #append: SQLite.Statement<[string, Uint8Array]>;
	readonly #upsertState: SQLite.Statement<[string, Uint8Array, number]>;
	readonly #dropUpdates: SQLite.Statement<[string, number]>;
	readonly #quarantine: SQLite.Statement<[string, Uint8Array, string, number]>;
	readonly #dropUpdate: SQLite.Statement<[number]>;
	readonly #countUpdates: SQLite.Statement<[string], { n: number }>;

	constructor(private readonly raw: SQLite.Database) {
		this.#state = raw.prepare('select state from doc_states where name = ?');
		this.#updates = raw.prepare('select id, "update" from doc_updates where name = ? order by id');
		this.#append = raw.prepare('insert into doc_updates (name, "update") values (?, ?)');
		this.#upsertState = raw.prepare(
			'insert into doc_states (name, state, updated_at) values (?, ?, ?) on conflict (name) do update set state = excluded.state, updated_at = excluded.updated_at'
		);
		this.#dropUpdates = raw.prepare('delete from doc_updates where name = ? and id <= ?');
		this.#quarantine = raw.prepare('insert into doc_quarantine (name, "update", error, created_at) values (?, ?, ?, ?)');
		this.#dropUpdate = raw.prepare('delete from doc_updates where id = ?');
		this.#countUpdates = raw.prepare('select count(*) as n from doc_updates where name = ?');
	}

	/** The merged state and the updates logged after it, in order. May be awaited (tests slow it down). */
	load(name: string): StoredDocument | Promise<StoredDocument> {
		const state = this.#state.get(name)?.state ?? null;
		const updates = this.#updates.all(name).map((r) => ({ id: r.id, update: new Uint8Array(r.update) }));
		return { state: state ? new Uint8Array(state) : null, updates };
	}

	/** Appends one update to the log and returns its id. Throws if the write fails. */
	append(name: string, update: Uint8Array): number {
		return Number(this.#append.run(name, update).lastInsertRowid);
	}

	/** Replaces the log up to `throughId` by one merged state, in one transaction. */
	compact(name: string, state: Uint8Array, throughId: number, now: number): void {
		this.raw.transaction(() => {
			this.#upsertState.run(name, state, now);
			this.#dropUpdates.run(name, throughId);
		}).immediate();
	}

	/** Moves a stored update that cannot be applied out of the log. */
	quarantine(name: string, stored: StoredUpdate, error: string, now: number): void {
		this.raw.transaction(() => {
			this.#quarantine.run(name, stored.update, error, now);
			this.#dropUpdate.run(stored.id);
		}).immediate();
	}

	logLength(name: string): number {
		return this.#countUpdates.get(name)?.n ?? 0;
	}
}
