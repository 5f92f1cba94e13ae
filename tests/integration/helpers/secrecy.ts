import { expect } from 'vitest';
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
 * The secrecy check on a database file (the live one or a backup): the secret vote's ballots hold a receipt and a
 * choice and nothing else (no member, no time), in receipt order rather than casting order; each receipt appears in
 * the ballots and nowhere else; participation names members and nothing about their ballots, one per ballot; the
 * audit trail holds counts, never a choice. `receipts` are the ballots this file must hold.
 */
export function expectSecretBallotsUnlinkable(file: string, voteId: number, receipts: string[]): Record<string, unknown[]> {
	const { text, tables } = dumpTables(file);
	const ballots = tables.vote_ballots.filter((b) => (b as { vote_id: number }).vote_id === voteId) as { receipt: string; choice: string; unit: string | null }[];
	expect(Object.keys(ballots[0]).sort()).toEqual(['choice', 'receipt', 'unit', 'vote_id']);
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
