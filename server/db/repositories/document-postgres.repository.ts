import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { DocumentLog, StoredDocument, StoredUpdate } from './document.repository.js';

const UNIQUE_VIOLATION = '23505';
/** Appends racing from many nodes on one document: each retry follows another node's commit. */
const MAX_ATTEMPTS = 100;

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * The update logs of collaborative documents on PostgreSQL, through Kysely. Every call answers once its statement
 * has committed; DocumentsService waits for an update's append before it applies and relays it, and chains each
 * document's appends so they are stored in order.
 */
export class PostgresDocumentStore implements DocumentLog {
	constructor(private readonly db: Db) {}

	/**
	 * The state and the log in one statement, so in one snapshot: a merge committing meanwhile cannot hide updates
	 * from both. (One round trip: a document is loaded each time someone opens it after it was let go.)
	 */
	async load(name: string): Promise<StoredDocument> {
		return this.since(name, 0);
	}

	/**
	 * The merged state if it goes beyond `afterSeq`, and the updates logged after both, in one statement (one
	 * snapshot): a node that missed other nodes' updates catches up with it.
	 */
	async since(name: string, afterSeq: number): Promise<StoredDocument> {
		const { rows } = await sql<{ merged: number; seq: number; data: Uint8Array }>`
			select 1 as merged, seq, state as data from doc_states where name = ${name} and seq > ${afterSeq}
			union all
			select 0 as merged, seq, "update" as data from doc_updates where name = ${name} and seq > ${afterSeq}
			order by merged desc, seq`.execute(this.db);
		const merged = rows[0]?.merged === 1 ? rows[0] : undefined;
		return {
			state: merged ? new Uint8Array(merged.data) : null,
			stateSeq: merged?.seq ?? 0,
			updates: rows.filter((r) => r.merged === 0 && r.seq > (merged?.seq ?? 0)).map((r) => ({ seq: r.seq, update: new Uint8Array(r.data) }))
		};
	}

	/**
	 * Appends an update as the next number of the log, whichever node writes it: the number is taken in the insert
	 * itself, and when another node's insert took it first (the primary key refuses the second, once the first has
	 * committed) it is taken again. So a number is only ever given once every lower one has committed, and a node
	 * that has read number n from the log has everything up to n (README "Run several nodes").
	 */
	async append(name: string, _seq: number, update: Uint8Array): Promise<number> {
		for (let attempt = 1; ; attempt++) {
			try {
				const { rows } = await sql<{ seq: number }>`
					insert into doc_updates (name, seq, "update")
					select ${name}, greatest(
						coalesce((select max(seq) from doc_updates where name = ${name}), 0),
						coalesce((select seq from doc_states where name = ${name}), 0)) + 1, ${bytes(update)}
					returning seq`.execute(this.db);
				return rows[0].seq;
			} catch (error) {
				// Another node's append took the number (each retry follows one that committed, so this ends).
				if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= MAX_ATTEMPTS) throw error;
			}
		}
	}

	/**
	 * Appends updates as the next numbers of the log in one statement, numbered one after another from the next free
	 * one (taken again, all of them, when another node's insert took one first, as in `append`).
	 */
	async appendMany(name: string, updates: Uint8Array[]): Promise<number[]> {
		for (let attempt = 1; ; attempt++) {
			try {
				const { rows } = await sql<{ seq: number }>`
					insert into doc_updates (name, seq, "update")
					select ${name}, next.base + u.n, u.data
					from (select greatest(
						coalesce((select max(seq) from doc_updates where name = ${name}), 0),
						coalesce((select seq from doc_states where name = ${name}), 0)) as base) next,
						unnest(${updates.map(bytes)}::bytea[]) with ordinality as u(data, n)
					returning seq`.execute(this.db);
				return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
			} catch (error) {
				if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= MAX_ATTEMPTS) throw error;
			}
		}
	}

	/**
	 * The merged state written and the log up to it dropped in one statement (so one transaction, one round trip).
	 * A merge that goes less far than the stored one (another node's, which had read further) leaves it in place.
	 */
	async compact(name: string, state: Uint8Array, throughSeq: number, now: number): Promise<void> {
		await sql`
			with merged as (
				insert into doc_states (name, state, seq, updated_at) values (${name}, ${bytes(state)}, ${throughSeq}, ${now})
				on conflict (name) do update set state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at
				where doc_states.seq < excluded.seq
			)
			delete from doc_updates where name = ${name} and seq <= ${throughSeq}`.execute(this.db);
	}

	async quarantine(name: string, stored: StoredUpdate, error: string, now: number): Promise<void> {
		await this.db.transaction().execute(async (trx) => {
			await trx.insertInto('doc_quarantine').values({ name, update: bytes(stored.update), error, created_at: now }).execute();
			await trx.deleteFrom('doc_updates').where('name', '=', name).where('seq', '=', stored.seq).execute();
		});
	}

	/** How many updates the log holds beyond its merged state. */
	async logLength(name: string): Promise<number> {
		const row = await this.db.selectFrom('doc_updates').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', name).executeTakeFirst();
		return row?.n ?? 0;
	}
}
