import { createHash } from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { BallotSeal } from './ballots/ballot-seal.js';
import { lockDataFolder } from './data-folder-lock.js';
import { quote, sourceTables, type SourceTable } from './move-tables.js';
import { openPostgres } from './dialect/postgres.js';
import { knownMigrations, migrateToLatest, schemaState } from './migrate.js';
import { sealedBallotRow } from './repositories/ballot-box-postgres.repository.js';
import type { Chamber } from '../../src/lib/shared/chambers.js';

/**
 * `npm run kuvend -- migrate-to-postgres`: an existing SQLite database moved into an empty PostgreSQL database, for a
 * network that outgrows one machine (issue #16). Everything happens in one PostgreSQL transaction on one connection:
 * the schema is made by the same migrations Kuvend runs at start-up, every table is copied in batches, parents before
 * children, the identity sequences are set past the highest id (and past SQLite's AUTOINCREMENT high-water mark, so
 * an id is never reused), then the row counts of every table and checksums of the key tables are compared with the
 * source. Anything wrong rolls it all back: the target stays empty, the SQLite file was only read.
 *
 * What is not copied as stored:
 * - The search index. SQLite's is an FTS5 table (its inverted index lives in shadow tables SQLite alone reads); only
 *   its content, the folded title and body per post, is copied, and PostgreSQL builds its own tsvector and GIN index
 *   from it. The folded text is what the services decided to index (hidden posts left out, excerpts, tags in
 *   titles): copying it keeps exactly the same hits, where re-deriving it here would repeat the services' rules.
 * - Secret ballots of votes still open (docs/secret-ballots-postgresql.md). SQLite keeps them readable (receipt,
 *   choice) with no unit; PostgreSQL keeps them sealed until the vote closes, since its transaction ids, row order and
 *   write-ahead log would otherwise pair them with participation. They are sealed here with the ballot key the
 *   PostgreSQL nodes will use, exactly as a cast on PostgreSQL seals them. What the move itself could reveal:
 *   every row is written by the same transaction (one xmin for the whole database: it pairs nothing); ballots are
 *   written in the order of their primary key, (vote, receipt), and a receipt is random, so their row order and their
 *   order in the write-ahead log say nothing of when they were cast; participation (vote_eligible) is written in the
 *   order of (vote, unit), an alphabetical order, in another table, long before or after the ballots. Ballots of
 *   open (not secret) votes name their unit anyway and are copied as they are: nothing new is sealed for them, and
 *   closed secret votes' ballots are already as PostgreSQL's closing writes them (receipt order, no unit).
 * - Kysely's own migration tables: the target's are written by its migrations; the list of migrations applied must
 *   be the same on both, or nothing is moved.
 */

export class MoveRefused extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MoveRefused';
	}
}

export interface MoveOptions {
	/** The SQLite file to move. */
	from: string;
	/** The PostgreSQL database to fill (postgres://…). */
	to: string;
	/** The ballot key the PostgreSQL nodes will use (BALLOT_KEY or the data folder's ballot.key), and where it is. */
	ballotKey: () => { key: Buffer; source: string };
	/** Progress, one line at a time. */
	progress?: (line: string) => void;
}

export interface TableMoved {
	table: string;
	rows: number;
}

export interface MoveReport {
	tables: TableMoved[];
	rows: number;
	/** The tables whose contents were compared by checksum, beyond the row counts of all. */
	checksummed: string[];
	/** Ballots of open secret votes sealed on the way, and where the key that sealed them is. */
	sealed: { ballots: number; votes: number; keySource: string | null };
	/** Identity sequences set past the highest id. */
	sequences: number;
	ms: number;
}

/** The tables whose every row is compared by checksum after the copy (every table's row count is compared too). */
const CHECKSUMMED = ['users', 'posts', 'threads', 'votes', 'vote_eligible', 'vote_ballots', 'decisions', 'doc_updates', 'doc_states', 'audit_log', 'outbox', 'search_index'];

/** Rows per insert statement: PostgreSQL takes at most 65,535 parameters in one. */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH = 1000;

/** A value as both databases hand it back, for the checksum: bytes as hex, numbers and text as they are. */
function canonical(value: unknown): unknown {
	if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
	if (typeof value === 'bigint') return Number(value);
	return value;
}

function hashRows(hash: ReturnType<typeof createHash>, rows: Iterable<Record<string, unknown>>, columns: string[]): void {
	for (const row of rows) hash.update(JSON.stringify(columns.map((c) => canonical(row[c]))) + '\n');
}

/** Refuses unless the target database has no tables: it fills an empty database only. */
async function refuseUnlessEmpty(db: Kysely<any>, where: string): Promise<void> {
	const { rows } = await sql<{ name: string }>`
		select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name limit 3`.execute(db);
	if (rows.length) {
		throw new MoveRefused(
			`${where} is not empty (it has tables: ${rows.map((r) => r.name).join(', ')}${rows.length === 3 ? ', …' : ''}); migrate-to-postgres fills an empty database only: create a new one (createdb) and point DATABASE_URL or --to at it.`
		);
	}
}

/** Moves the SQLite database `from` into the empty PostgreSQL database `to`; throws MoveRefused for what the operator must fix. */
export async function moveToPostgres(options: MoveOptions): Promise<MoveReport> {
	const started = Date.now();
	const progress = options.progress ?? (() => {});
	if (!fs.existsSync(options.from)) throw new MoveRefused(`${options.from} does not exist; give the SQLite database with --from <file> or set DATA_DIR to its folder.`);
	// The lock a running Kuvend holds on its database: the copy must be one moment, and no server may start on the
	// file while it is read.
	const lock = lockDataFolder(options.from);
	let raw: SQLite.Database | undefined;
	let source: Kysely<any> | undefined;
	let target: Kysely<any> | undefined;
	try {
		try {
			raw = new SQLite(options.from, { readonly: true, fileMustExist: true });
			raw.prepare('select count(*) from sqlite_master').get();
		} catch (error) {
			throw new MoveRefused(`${options.from} is not a SQLite database Kuvend can read (${(error as Error).message}).`);
		}
		source = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
		const state = await schemaState(source);
		const known = await knownMigrations();
		if (state.unknown.length) {
			throw new MoveRefused(`${options.from} was written by a newer Kuvend (migrations unknown here: ${state.unknown.join(', ')}); run migrate-to-postgres with that version.`);
		}
		if (state.pending.length === known.length) throw new MoveRefused(`${options.from} is not a Kuvend database (it has no migrations); check --from or DATA_DIR.`);
		if (state.pending.length) {
			throw new MoveRefused(
				`${options.from} is behind this Kuvend (${state.pending.length} migration(s) pending, from ${state.pending[0]}); start Kuvend on it once (or npm run db:migrate) and stop it, then move it.`
			);
		}

		const opened = await openPostgres(options.to, { poolSize: 1 });
		target = opened.db;
		const url = new URL(options.to);
		const where = `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
		await refuseUnlessEmpty(target, where);

		const tables = sourceTables(raw);
		const secretOpen = new Set(
			(raw.prepare("select id from votes where secret = 1 and status = 'open'").all() as { id: number }[]).map((v) => v.id)
		);
		const sealedCount = secretOpen.size
			? (raw.prepare(`select count(*) as n from vote_ballots where vote_id in (${[...secretOpen].join(',')})`).get() as { n: number }).n
			: 0;
		const ballotKey = sealedCount ? options.ballotKey() : null;
		const seal = ballotKey ? new BallotSeal(ballotKey.key) : null;
		const sqliteSequence = new Map(
			(raw.prepare("select name, seq from sqlite_sequence where exists (select 1 from sqlite_master where name = 'sqlite_sequence')").all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq])
		);

		const report = await target.connection().execute(async (conn) => {
			await sql`begin`.execute(conn);
			try {
				const moved = await copyAll(conn as unknown as Transaction<any>, raw!, tables, { secretOpen, seal, sqliteSequence, known, progress });
				await sql`commit`.execute(conn);
				return moved;
			} catch (error) {
				// The move's own error is the one to report; a rollback that fails too (the connection is gone) is said beside it.
				await sql`rollback`.execute(conn).catch((rollbackError: unknown) => process.stderr.write(`migrate-to-postgres: the rollback failed too: ${String(rollbackError)}\n`));
				throw error;
			}
		});
		// After a bulk load, before anyone searches: statistics for the planner (a fresh load has none), the search
		// index's pending list merged (a GIN index takes bulk inserts into a list every search scans in full), and the
		// visibility map set (the planner probes the ends of indexes, and reads every row not yet known visible).
		// Measured in tests/bench/pgsearch.bench.ts: a rare word's search read 380 pages of pending list before.
		await sql`vacuum analyze`.execute(target);
		return {
			...report,
			sealed: { ballots: sealedCount, votes: secretOpen.size, keySource: ballotKey?.source ?? null },
			ms: Date.now() - started
		};
	} finally {
		await target?.destroy();
		await source?.destroy();
		raw?.close();
		lock.release();
	}
}

interface CopyContext {
	secretOpen: Set<number>;
	seal: BallotSeal | null;
	sqliteSequence: Map<string, number>;
	known: string[];
	progress: (line: string) => void;
}

async function copyAll(db: Kysely<any>, raw: SQLite.Database, tables: SourceTable[], ctx: CopyContext): Promise<Omit<MoveReport, 'sealed' | 'ms'>> {
	// The schema, by the migrations Kuvend runs at start-up, inside this transaction.
	await migrateToLatest(db, { inTransaction: true });
	const ran = (await db.selectFrom('kysely_migration').select('name').orderBy('name').execute()).map((r) => r.name as string);
	if (ran.join() !== ctx.known.join()) throw new Error(`the target's migrations (${ran.length}) are not this Kuvend's (${ctx.known.length})`);

	const { rows: targetColumns } = await sql<{ table_name: string; column_name: string; data_type: string; is_generated: string; is_identity: string }>`
		select table_name, column_name, data_type, is_generated, is_identity from information_schema.columns where table_schema = current_schema()`.execute(db);
	const targetTables = new Set(targetColumns.map((c) => c.table_name).filter((t) => !t.startsWith('kysely_')));
	const sourceNames = new Set(tables.map((t) => t.name));
	const missing = [...sourceNames].filter((t) => !targetTables.has(t));
	const extra = [...targetTables].filter((t) => !sourceNames.has(t));
	if (missing.length || extra.length) throw new Error(`the schemas differ: only in SQLite ${missing.join(', ') || 'nothing'}; only in PostgreSQL ${extra.join(', ') || 'nothing'}`);

	// Some migrations write rows of their own (the health probe's, the network profile's, the first fields and
	// categories): the source has them too, as they stand now. Children first.
	for (const table of [...tables].reverse()) await sql`delete from ${sql.table(table.name)}`.execute(db);

	const moved: TableMoved[] = [];
	const afterwards: Later[] = [];
	for (const table of tables) {
		const writable = targetColumns.filter((c) => c.table_name === table.name && c.is_generated !== 'ALWAYS').map((c) => c.column_name);
		const columns = table.columns.filter((c) => writable.includes(c));
		const lost = table.columns.filter((c) => !writable.includes(c));
		const unknown = writable.filter((c) => !table.columns.includes(c));
		if (lost.length || unknown.length) throw new Error(`the columns of ${table.name} differ: only in SQLite ${lost.join(', ') || 'nothing'}; only in PostgreSQL ${unknown.join(', ') || 'nothing'}`);
		const rows = await copyTable(db, raw, table, columns, ctx, afterwards);
		moved.push({ table: table.name, rows });
	}
	// The references that closed a cycle, now that what they point to is there.
	for (const fix of afterwards) await db.updateTable(fix.table).set({ [fix.column]: fix.value }).where(fix.key, '=', fix.id).execute();

	// Identity columns continue past the highest id, and past SQLite's AUTOINCREMENT high-water mark (an id deleted
	// there is never handed out again there; nor is it here).
	const identities = targetColumns.filter((c) => c.is_identity === 'YES' && !c.table_name.startsWith('kysely_'));
	for (const c of identities) {
		const high = ctx.sqliteSequence.get(c.table_name) ?? 0;
		await sql`select setval(pg_get_serial_sequence(${c.table_name}, ${c.column_name}), greatest(coalesce((select max(${sql.ref(c.column_name)}) from ${sql.table(c.table_name)}), 0), cast(${high} as bigint)) + 1, false)`.execute(db);
	}

	// Verify: every table's row count, and the key tables row by row.
	for (const { table, rows } of moved) {
		const sourceCount = (raw.prepare(`select count(*) as n from ${quote(table)}`).get() as { n: number }).n;
		const { rows: counted } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
		if (sourceCount !== rows || counted[0].n !== rows) throw new Error(`${table}: ${sourceCount} rows in SQLite, ${rows} copied, ${counted[0].n} in PostgreSQL`);
	}
	const checksummed: string[] = [];
	// The key tables, and every table with references set after the copy.
	for (const name of new Set([...CHECKSUMMED, ...tables.filter((t) => t.deferred.length).map((t) => t.name)])) {
		const table = tables.find((t) => t.name === name);
		if (!table) continue;
		const text = new Set(targetColumns.filter((c) => c.table_name === name && c.data_type === 'text').map((c) => c.column_name));
		const [a, b] = await checksums(db, raw, table, text, ctx);
		if (a !== b) throw new Error(`${name}: the copy's checksum differs from the original's`);
		checksummed.push(name);
	}
	ctx.progress(`Verified: row counts of ${moved.length} tables, checksums of ${checksummed.join(', ')}.`);
	return { tables: moved, rows: moved.reduce((n, t) => n + t.rows, 0), checksummed, sequences: identities.length };
}

/** The source's rows of a table, in key order, ballots of open secret votes sealed as PostgreSQL keeps them. */
function* sourceRows(raw: SQLite.Database, table: SourceTable, columns: string[], ctx: CopyContext): Generator<Record<string, unknown>> {
	const select = `select ${columns.map(quote).join(', ')} from ${quote(table.name)} order by ${table.order.map(quote).join(', ')}`;
	for (const row of raw.prepare(select).iterate() as Iterable<Record<string, unknown>>) {
		if (table.name === 'vote_ballots' && ctx.secretOpen.has(row.vote_id as number)) {
			yield sealedBallotRow(ctx.seal!, row.vote_id as number, {
				receipt: row.receipt as string,
				choice: row.choice as string,
				castHash: row.cast_hash as string | null,
				changeHash: row.change_hash as string | null,
				chamber: (row.chamber as Chamber | null) ?? null
			});
		} else yield row;
	}
}

/** A reference written after the copy: `column` of the row of `table` whose `key` is `id`. */
interface Later {
	table: string;
	key: string;
	id: unknown;
	column: string;
	value: unknown;
}

async function copyTable(db: Kysely<any>, raw: SQLite.Database, table: SourceTable, columns: string[], ctx: CopyContext, afterwards: Later[]): Promise<number> {
	const size = Math.max(1, Math.min(MAX_BATCH, Math.floor(MAX_PARAMETERS / columns.length)));
	const key = table.order.length === 1 ? table.order[0] : null;
	if (table.deferred.length && !key) throw new Error(`${table.name} closes a cycle of references but has no single key to set them by after the copy`);
	// A self-reference pointing at a row not yet written (a field merged into one made later) is set afterwards.
	const later: { id: unknown; column: string; value: unknown }[] = [];
	let batch: Record<string, unknown>[] = [];
	let count = 0;
	const flush = async () => {
		if (batch.length) await db.insertInto(table.name).values(batch).execute();
		count += batch.length;
		batch = [];
	};
	for (const row of sourceRows(raw, table, columns, ctx)) {
		for (const column of table.deferred) {
			if (row[column] === null) continue;
			afterwards.push({ table: table.name, key: key!, id: row[key!], column, value: row[column] });
			row[column] = null;
		}
		for (const column of table.selfRefs) {
			const value = row[column];
			if (key && value !== null && (value as number) >= (row[key] as number)) {
				later.push({ id: row[key], column, value });
				row[column] = null;
			}
		}
		batch.push(row);
		if (batch.length >= size) await flush();
	}
	await flush();
	for (const fix of later) await db.updateTable(table.name).set({ [fix.column]: fix.value }).where(key!, '=', fix.id).execute();
	ctx.progress(`${table.name}: ${count} rows`);
	return count;
}

/**
 * Checksums of a table on both sides, rows in key order. The sealed ballots of open secret votes are compared by
 * what they hold: opened with the key, they must give back the source's receipt, choice and cast hash.
 */
async function checksums(db: Kysely<any>, raw: SQLite.Database, table: SourceTable, textColumns: Set<string>, ctx: CopyContext): Promise<[string, string]> {
	const columns = table.columns;
	const a = createHash('sha256');
	const b = createHash('sha256');
	const select = `select ${columns.map(quote).join(', ')} from ${quote(table.name)} order by ${table.order.map(quote).join(', ')}`;
	const opened = (row: Record<string, unknown>) => {
		if (table.name !== 'vote_ballots' || !ctx.secretOpen.has(row.vote_id as number) || !ctx.seal) return row;
		const { receipt, choice, castHash } = ctx.seal.open(row.vote_id as number, row.choice as string);
		return { ...row, receipt, choice, cast_hash: castHash };
	};
	// The change key's hash is kept only as a keyed hash: the source's, hashed so, must be the one stored.
	const plain = (row: Record<string, unknown>) =>
		table.name === 'vote_ballots' && ctx.secretOpen.has(row.vote_id as number) && row.change_hash !== null
			? { ...row, change_hash: ctx.seal!.lookup(row.vote_id as number, 'change', row.change_hash as string) }
			: row;
	const sortKey = (row: Record<string, unknown>) => JSON.stringify(table.order.map((c) => canonical(row[c])));
	const bySortKey = (x: Record<string, unknown>, y: Record<string, unknown>) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : 0);
	if (table.name === 'vote_ballots') {
		// Sealed rows are keyed by a hash of their receipt on PostgreSQL: both sides are compared in receipt order.
		const src = (raw.prepare(select).all() as Record<string, unknown>[]).map(plain).sort(bySortKey);
		const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c)))} from vote_ballots`.execute(db);
		hashRows(a, src, columns);
		hashRows(b, rows.map(opened).sort(bySortKey), columns);
		return [a.digest('hex'), b.digest('hex')];
	}
	hashRows(a, raw.prepare(select).iterate() as Iterable<Record<string, unknown>>, columns);
	// SQLite orders text by its bytes; PostgreSQL by the database's collation unless told to use bytes ("C").
	const ordered = sql.join(table.order.map((c) => (textColumns.has(c) ? sql`${sql.ref(c)} collate "C"` : sql.ref(c))));
	// Read back in batches, keyed on the ordering columns' position (offset is fine inside one transaction's snapshot).
	for (let offset = 0; ; offset += 5000) {
		const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table.name)} order by ${ordered} limit 5000 offset ${offset}`.execute(db);
		hashRows(b, rows, columns);
		if (rows.length < 5000) break;
	}
	return [a.digest('hex'), b.digest('hex')];
}
