import type SQLite from 'better-sqlite3';

/** A table of the SQLite database as migrate-to-postgres copies it. */
export interface SourceTable {
	name: string;
	columns: string[];
	/** The columns rows are read in the order of: the primary key (rowid for a table without one). */
	order: string[];
	/** Columns referring to this same table's integer key (a reply's parent): written after their row when they point ahead. */
	selfRefs: string[];
	parents: { table: string; column: string; nullable: boolean }[];
	/**
	 * Nullable references that close a cycle between tables (a draft adopted by a vote on an agenda item that names
	 * the draft): copied as null, and set once every table is copied.
	 */
	deferred: string[];
}

export function quote(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

/** Reads the SQLite schema: the tables to copy, parents first, with their columns. */
export function sourceTables(raw: SQLite.Database): SourceTable[] {
	const all = raw.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'").all() as { name: string; sql: string }[];
	const virtual = all.filter((t) => /^create virtual table/i.test(t.sql)).map((t) => t.name);
	// An FTS5 table keeps its index in shadow tables named after it: SQLite's, not data.
	const shadow = new Set(virtual.flatMap((v) => ['data', 'idx', 'content', 'docsize', 'config'].map((s) => `${v}_${s}`)));
	const tables = all.filter((t) => !shadow.has(t.name) && !t.name.startsWith('kysely_'));
	const described = tables.map((t): SourceTable => {
		const isVirtual = virtual.includes(t.name);
		const info = raw.prepare(`select name, pk, "notnull" from pragma_table_info(?) order by cid`).all(t.name) as { name: string; pk: number; notnull: number }[];
		const fks = raw.prepare(`select "table", "from" from pragma_foreign_key_list(?)`).all(t.name) as { table: string; from: string }[];
		const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
		return {
			name: t.name,
			// An FTS5 table's rows are keyed by rowid, which its content columns do not list.
			columns: isVirtual ? ['rowid', ...info.map((c) => c.name)] : info.map((c) => c.name),
			order: pk.length ? pk : ['rowid'],
			selfRefs: fks.filter((f) => f.table === t.name).map((f) => f.from),
			parents: fks.filter((f) => f.table !== t.name).map((f) => ({ table: f.table, column: f.from, nullable: info.find((c) => c.name === f.from)?.notnull === 0 })),
			deferred: []
		};
	});
	return parentsFirst(described);
}

/**
 * The tables parents first. Where references go round in a cycle (a draft adopted by a vote on an amendment of one
 * of its versions), one reference on the cycle that may be null is deferred: copied as null and set once every table
 * is copied; one at a time, until the rest can be ordered. A cycle with no such reference cannot be copied: say so.
 */
function parentsFirst(tables: SourceTable[]): SourceTable[] {
	const byName = new Map(tables.map((t) => [t.name, t]));
	const sorted = [...tables].sort((a, b) => a.name.localeCompare(b.name));
	const edges = (t: SourceTable) => t.parents.filter((p) => byName.has(p.table) && !t.deferred.includes(p.column));
	/** Whether `from` depends on `to`, through references not deferred. */
	const dependsOn = (from: string, to: string, seen = new Set<string>()): boolean => {
		if (from === to) return true;
		if (seen.has(from)) return false;
		seen.add(from);
		return edges(byName.get(from)!).some((p) => dependsOn(p.table, to, seen));
	};
	for (;;) {
		const ordered: SourceTable[] = [];
		const done = new Set<string>();
		for (let progress = true; progress; ) {
			progress = false;
			for (const t of sorted) {
				if (done.has(t.name) || !edges(t).every((p) => done.has(p.table))) continue;
				done.add(t.name);
				ordered.push(t);
				progress = true;
			}
		}
		if (ordered.length === tables.length) return ordered;
		const left = sorted.filter((t) => !done.has(t.name));
		const onCycle = left.flatMap((t) => edges(t).filter((p) => !done.has(p.table) && dependsOn(p.table, t.name)).map((p) => ({ t, p })));
		const breakable = onCycle.find(({ p }) => p.nullable);
		if (!breakable) throw new Error(`the tables ${left.map((t) => t.name).join(', ')} refer to each other in a cycle; they cannot be copied parents first`);
		breakable.t.deferred.push(breakable.p.column);
	}
}

