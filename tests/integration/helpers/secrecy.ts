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
 * the ballots and nowhere else; participation names members and nothing about their ballots, one per ballot; the
 * audit trail holds counts, never a choice. `receipts` are the ballots this file must hold.
 */
export function expectSecretBallotsUnlinkable(file: string, voteId: number, receipts: string[]): Record<string, unknown[]> {
	const { text, tables } = dumpTables(file);
	const ballots = tables.vote_ballots.filter((b) => (b as { vote_id: number }).vote_id === voteId) as { receipt: string; choice: string; unit: string | null }[];
	expect(Object.keys(ballots[0]).sort()).toEqual(['cast_hash', 'change_hash', 'choice', 'receipt', 'unit', 'vote_id']);
	expect(ballots.every((b) => b.unit === null)).toBe(true);
	expect(ballots.map((b) => b.receipt)).toEqual([...receipts].sort());
	for (const r of receipts) expect(text.split(r).length - 1).toBe(1);
	const taking = tables.vote_participants.filter((p) => (p as { vote_id: number }).vote_id === voteId);
	expect(taking).toHaveLength(receipts.length);
	expect(Object.keys(taking[0] as object).sort()).toEqual(['unit', 'vote_id']);
	const audit = JSON.stringify(tables.audit_log.filter((a) => (a as { subject_type: string }).subject_type === 'vote'));
	expect(audit).not.toMatch(/yes|"no"|abstain|choice|receipt/);
	return tables;
}

/**
 * What the pages of a database file show beyond its rows, for the two tables of a secret vote. SQLite places a
 * page's cells in the order they were written, and a participation and its ballot are written together: cells in
 * written order would pair them. Here every leaf page holds its cells in key order (member, receipt), which says
 * nothing about when each was cast, and no free page keeps deleted rows (a changed ballot's old choice).
 */
export function expectWrittenOrderHidden(file: string): void {
	const db = new SQLite(file, { readonly: true });
	let leaves: { name: string; pageno: number }[];
	let pageSize: number;
	try {
		expect(db.pragma('freelist_count', { simple: true })).toBe(0);
		pageSize = db.pragma('page_size', { simple: true }) as number;
		leaves = db.prepare("select name, pageno from dbstat where name in ('vote_participants', 'vote_ballots') and pagetype = 'leaf'").all() as { name: string; pageno: number }[];
	} finally {
		db.close();
	}
	expect(new Set(leaves.map((l) => l.name))).toEqual(new Set(['vote_participants', 'vote_ballots']));
	const bytes = fs.readFileSync(file);
	for (const { name, pageno } of leaves) {
		const header = (pageno - 1) * pageSize + (pageno === 1 ? 100 : 0);
		const cells = bytes.readUInt16BE(header + 3);
		// The cell pointers are in key order; cells written in key order lie at falling offsets.
		const offsets = Array.from({ length: cells }, (_, i) => bytes.readUInt16BE(header + 8 + 2 * i));
		expect({ name, pageno, offsets }).toEqual({ name, pageno, offsets: [...offsets].sort((a, b) => b - a) });
	}
}
