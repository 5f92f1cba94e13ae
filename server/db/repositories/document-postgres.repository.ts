import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { DocumentLog, StoredDocument, StoredUpdate } from './document.repository.js';

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
		const { rows } = await sql<{ merged: number; seq: number; data: Uint8Array }>`
			select 1 as merged, seq, state as data from doc_states where name = ${name}
			union all
			select 0 as merged, seq, "update" as data from doc_updates where name = ${name}
			order by merged desc, seq`.execute(this.db);
		const merged = rows[0]?.merged === 1 ? rows[0] : undefined;
		return {
			state: merged ? new Uint8Array(merged.data) : null,
			stateSeq: merged?.seq ?? 0,
			updates: rows.filter((r) => r.merged === 0).map((r) => ({ seq: r.seq, update: new Uint8Array(r.data) }))
		};
	}

	async append(name: string, seq: number, update: Uint8Array): Promise<void> {
		await this.db.insertInto('doc_updates').values({ name, seq, update: bytes(update) }).execute();
	}

	/** The merged state written and the log up to it dropped in one statement (so one transaction, one round trip). */
	async compact(name: string, state: Uint8Array, throughSeq: number, now: number): Promise<void> {
		await sql`
			with merged as (
				insert into doc_states (name, state, seq, updated_at) values (${name}, ${bytes(state)}, ${throughSeq}, ${now})
				on conflict (name) do update set state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at
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
