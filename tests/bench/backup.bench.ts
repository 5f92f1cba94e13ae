/**
 * Backups (issue #15 point 7): how long a copy of a 100 MB database takes, and how long the server's own scheduled
 * backup holds up its event loop. The command line copies in one step (one read transaction: one moment of the
 * database, from a connection of its own); the server copies on its own connection a few MB a step so that requests
 * are answered in between. Baselines: the file copied by the operating system, and the same copy in one step on the
 * server's connection (what a server would do without steps).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/db/client.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { backupDatabase, WHOLE_FILE } from '../../server/db/backup.js';
import { BackupSchedule } from '../../server/services/backup-schedule.js';
import { createLogger } from '../../server/logger.js';
import { dataDir, type Row } from './lib.js';

const MEGABYTES = 100;

/** The longest the event loop was held (ms: the longest gap between two ticks of a 1 ms timer) and the wall time. */
async function measured(work: () => Promise<unknown>): Promise<{ blockMs: number; wallMs: number }> {
	let last = performance.now();
	let blockMs = 0;
	const tick = setInterval(() => {
		const t = performance.now();
		blockMs = Math.max(blockMs, t - last);
		last = t;
	}, 1);
	const t0 = performance.now();
	await work();
	const wallMs = performance.now() - t0;
	blockMs = Math.max(blockMs, performance.now() - last);
	clearInterval(tick);
	return { blockMs, wallMs };
}

export async function run(): Promise<Row[]> {
	const dir = dataDir();
	try {
		const file = path.join(dir.path, 'kuvend.db');
		const { db, raw } = openDatabase(file);
		await migrateToLatest(db);
		const filler = raw.prepare("insert into audit_log (actor_id, action, subject_type, subject_id, data, created_at) values (null, 'bench.filler', 'bench', '0', ?, 0)");
		raw.transaction(() => {
			for (let i = 0; i < MEGABYTES * 1000; i++) filler.run(JSON.stringify({ filler: 'x'.repeat(950), i }));
		})();
		raw.pragma('wal_checkpoint(TRUNCATE)');
		const size = fs.statSync(file).size / 1024 / 1024;

		const copied = await measured(async () => fs.copyFileSync(file, path.join(dir.path, 'os-copy.db')));
		const second = new SQLite(file, { readonly: true });
		const oneStep = await measured(() => backupDatabase(second, path.join(dir.path, 'cli.db'), { pagesPerStep: WHOLE_FILE }));
		second.close();
		const ownOneStep = await measured(() => backupDatabase(raw, path.join(dir.path, 'own-one-step.db'), { pagesPerStep: WHOLE_FILE }));
		const schedule = new BackupSchedule(raw, { dir: path.join(dir.path, 'scheduled'), everyMs: 0, keep: 1 }, createLogger('error'));
		const stepped = await measured(() => schedule.runOnce());
		const idle = await measured(() => new Promise((r) => setTimeout(r, stepped.wallMs)));
		await db.destroy();
		const label = `${size.toFixed(0)} MB database`;
		return [
			{ figure: `${label}: backup by the command line, one step (baseline: the file copied by the OS)`, unit: 'ms', measured: oneStep.wallMs, baseline: copied.wallMs },
			{ figure: `${label}: scheduled backup in steps, time (baseline: one step)`, unit: 'ms', measured: stepped.wallMs, baseline: ownOneStep.wallMs },
			{
				figure: `${label}: scheduled backup, longest event-loop block (baseline: one step)`,
				unit: 'ms',
				measured: stepped.blockMs,
				// Reported, not budgeted: on a shared machine the gap includes time the process was not scheduled at all.
				baseline: ownOneStep.blockMs
			},
			{ figure: `the same gap with no backup running, as long (how busy the machine is)`, unit: 'ms', measured: idle.blockMs, baseline: null }
		];
	} finally {
		dir.remove();
	}
}
