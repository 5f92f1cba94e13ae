/**
 * `npm run bench -- [suite...]`: runs the named benchmark suites (all without a name) and prints one table each.
 * A missed budget is reported, never thrown: the exit code says only whether the benchmarks themselves ran.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ensureBuild } from '../../server/cli/ensure-build.js';
import { budgetMet, printTable, type Row } from './lib.js';

/** Suites by name; each module exports run(). Later suites register here. */
const SUITES: Record<string, () => Promise<{ run(): Promise<Row[]> }>> = {
	forum: () => import('./forum.bench.js'),
	drafts: () => import('./drafts.bench.js'),
	votes: () => import('./votes.bench.js'),
	exports: () => import('./exports.bench.js'),
	backup: () => import('./backup.bench.js'),
	start: () => import('./start.bench.js'),
	phones: () => import('./phones.bench.js'),
	api: () => import('./api.bench.js'),
	pgsearch: () => import('./pgsearch.bench.js'),
	stv: () => import('./stv.bench.js'),
	cluster: () => import('./cluster.bench.js'),
	translations: () => import('./translations.bench.js')
};

/** Suites that load no page of the web app: they run without building it. */
const WITHOUT_PAGES = new Set(['votes', 'backup', 'pgsearch', 'stv']);

async function main(): Promise<number> {
	const asked = process.argv.slice(2);
	const unknown = asked.filter((name) => !(name in SUITES));
	if (unknown.length) {
		console.error(`Unknown suite(s): ${unknown.join(', ')}. Known: ${Object.keys(SUITES).join(', ')}.`);
		return 2;
	}
	const names = asked.length ? asked : Object.keys(SUITES);
	// The suites load pages from the built SvelteKit app, except those that use no page.
	if (names.some((name) => !WITHOUT_PAGES.has(name))) await ensureBuild();
	const missed: string[] = [];
	let budgets = 0;
	// Other work on the machine skews every figure; the load average says how quiet the run was.
	const load = os.loadavg()[0].toFixed(1);
	const t0 = performance.now();
	for (const name of names) {
		process.stderr.write(`Running ${name}...\n`);
		const started = performance.now();
		const rows = await (await SUITES[name]()).run();
		printTable(`${name} (${((performance.now() - started) / 1000).toFixed(0)} s)`, rows);
		for (const row of rows) {
			const met = budgetMet(row);
			if (met === null) continue;
			budgets++;
			if (!met) missed.push(`${name}: ${row.figure}`);
		}
	}
	const total = `${((performance.now() - t0) / 1000).toFixed(0)} s, load average ${load} on ${os.cpus().length} cores at the start`;
	console.log(
		missed.length
			? `\nBudgets met: ${budgets - missed.length} of ${budgets} (total ${total}). Missed:\n${missed.map((m) => `  - ${m}`).join('\n')}`
			: `\nBudgets met: all ${budgets} (total ${total}).`
	);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error('The benchmark crashed:', error);
		process.exit(1);
	}
);
