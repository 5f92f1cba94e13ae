import { expect } from 'vitest';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';

/** Every row of every table, as text: what someone holding a copy of the database file would read. */
export function dumpTables(file: string): { text: string; tables: Record<string, unknown[]> } {
	const db = new SQLite(file, { readonly: true });
	try {
		const names = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
		const tables = Object.fromEntries(names.map((n) => [n, db.prepare(`select * from "${n}"`).all()]));
		return { text: JSON.stringify(tables), tables };
	} finally {
		db.close();
	}
}

/**
 * The secrecy check on a database file (the live one or a backup): the secret vote's ballots hold a receipt, a
 * choice and the hashes of two tokens only the voter's device made (its cast id and change key), nothing else (no
 * member, no time), in receipt order rather than casting order; each receipt appears in
 * the ballots and nowhere else; participation is a flag on the electorate, one per ballot; the
 * audit trail holds counts, never a choice. `receipts` are the ballots this file must hold.
 */
export function expectSecretBallotsUnlinkable(file: string, voteId: number, receipts: string[]): Record<string, unknown[]> {
	const { text, tables } = dumpTables(file);
	const ballots = tables.vote_ballots.filter((b) => (b as { vote_id: number }).vote_id === voteId) as { receipt: string; choice: string; unit: string | null }[];
	// A ballot knows its chamber (null on a vote of one chamber), nothing else.
	expect(Object.keys(ballots[0]).sort()).toEqual(['cast_hash', 'chamber', 'change_hash', 'choice', 'receipt', 'unit', 'vote_id']);
	expect(ballots.every((b) => b.unit === null)).toBe(true);
	expect(ballots.map((b) => b.receipt)).toEqual([...receipts].sort());
	for (const r of receipts) expect(text.split(r).length - 1).toBe(1);
	expect(tables.vote_participants).toBeUndefined();
	const taking = tables.vote_eligible.filter((p) => (p as { vote_id: number; voted: number }).vote_id === voteId && (p as { voted: number }).voted === 1);
	expect(taking).toHaveLength(receipts.length);
	expect(Object.keys(taking[0] as object).sort()).toEqual(['unit', 'vote_id', 'voted']);
	const audit = JSON.stringify(tables.audit_log.filter((a) => (a as { subject_type: string }).subject_type === 'vote'));
	expect(audit).not.toMatch(/yes|"no"|abstain|choice|receipt/);
	return tables;
}

/**
 * What the pages of a database file show beyond its rows, for the two tables of a secret vote. SQLite places a
 * page's cells in the order they were written: cells in written order would tell when each was written. In a backup
 * every leaf page holds its cells in key order (unit, receipt), which says nothing about when each was cast, and no
 * free page keeps deleted rows (a changed ballot's old choice).
 */
export function expectWrittenOrderHidden(file: string, tables: string[] = ['vote_eligible', 'vote_ballots']): void {
	const db = new SQLite(file, { readonly: true });
	try {
		expect(db.pragma('freelist_count', { simple: true })).toBe(0);
	} finally {
		db.close();
	}
	expectCellsInKeyOrder(file, tables);
}

/** Every leaf page of `tables` holds its cells in key order: nothing in the file says in which order they were written. */
export function expectCellsInKeyOrder(file: string, tables: string[]): void {
	const db = new SQLite(file, { readonly: true });
	let leaves: { name: string; pageno: number }[];
	let pageSize: number;
	try {
		pageSize = db.pragma('page_size', { simple: true }) as number;
		leaves = db
			.prepare(`select name, pageno from dbstat where name in (${tables.map(() => '?').join(', ')}) and pagetype = 'leaf'`)
			.all(...tables) as { name: string; pageno: number }[];
	} finally {
		db.close();
	}
	expect(new Set(leaves.map((l) => l.name))).toEqual(new Set(tables));
	const bytes = fs.readFileSync(file);
	for (const { name, pageno } of leaves) {
		const header = (pageno - 1) * pageSize + (pageno === 1 ? 100 : 0);
		const cells = bytes.readUInt16BE(header + 3);
		// The cell pointers are in key order; cells written in key order lie at falling offsets.
		const offsets = Array.from({ length: cells }, (_, i) => bytes.readUInt16BE(header + 8 + 2 * i));
		expect({ name, pageno, offsets }).toEqual({ name, pageno, offsets: [...offsets].sort((a, b) => b - a) });
	}
}
