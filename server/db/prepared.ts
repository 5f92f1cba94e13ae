import type { CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';
import type { Database } from './database.js';
import { dialectOf, type DialectName } from './dialect/index.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** Stands for a named value while a query is built; swapped for the caller's value on each run. */
class Placeholder {
	constructor(readonly name: string) {}
}

/**
 * A query that Kysely builds and compiles once, then runs with new values: on the write path of a reply, building
 * and compiling each query cost about as much as SQLite running it (tests/bench/forum.bench.ts, posts/s through
 * the service). `build` gets one placeholder per named value (`p.threadId`, typed as the value it stands for) and
 * returns the compiled query; constants it uses stay in the compiled parameters. `p` only answers the names read
 * from it and has no keys (`values(p)` would insert no columns), so a query names each value it takes. Runs on
 * whatever connection it is given, so inside a transaction it is part of the transaction. The SQL text is the
 * same on every run, so the statement is also prepared only once (statementCache in client.ts).
 */
export function prepared<P extends Record<string, unknown>, O>(build: (db: Kysely<Database>, p: P) => CompiledQuery<O>): (db: Conn, values: P) => Promise<QueryResult<O>> {
	// Per dialect: SQLite's text (`?`) is not PostgreSQL's (`$1`), and one process may hold both (migrate-to-postgres's
	// test serves a network on SQLite, then on PostgreSQL).
	const compiledFor = new Map<DialectName, { compiled: CompiledQuery<O>; slots: ({ name: string } | { value: unknown })[] }>();
	return (db, values) => {
		const dialect = dialectOf(db);
		let entry = compiledFor.get(dialect);
		if (!entry) {
			const p = new Proxy({}, { get: (_, name) => new Placeholder(String(name)) }) as P;
			const compiled = build(db, p);
			// Per compiled parameter: the name of the value it takes, or the constant the query was built with.
			entry = { compiled, slots: compiled.parameters.map((v) => (v instanceof Placeholder ? { name: v.name } : { value: v })) };
			compiledFor.set(dialect, entry);
		}
		const parameters = entry.slots.map((s) => ('name' in s ? values[s.name] : s.value));
		return db.executeQuery<O>({ ...entry.compiled, parameters });
	};
}

/**
 * `prepared` for a query whose text depends on which of its filters are asked for (`$if`): one compiled query per
 * shape. `shapeOf` says from a run's values which parts the query has (a few flags: a few shapes, each built once);
 * `build` gets those flags beside the placeholders, and the values themselves only ever through the placeholders.
 */
export function preparedShapes<S extends Record<string, boolean>, P extends Record<string, unknown>, O>(
	shapeOf: (values: P) => S,
	build: (db: Kysely<Database>, p: P, shape: S) => CompiledQuery<O>
): (db: Conn, values: P) => Promise<QueryResult<O>> {
	const shapes = new Map<string, (db: Conn, values: P) => Promise<QueryResult<O>>>();
	return (db, values) => {
		const shape = shapeOf(values);
		const key = JSON.stringify(shape);
		let run = shapes.get(key);
		if (!run) {
			run = prepared<P, O>((kysely, p) => build(kysely, p, shape));
			shapes.set(key, run);
		}
		return run(db, values);
	};
}
