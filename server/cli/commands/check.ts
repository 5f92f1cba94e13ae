import { formatBytes } from '../../db/backup.js';
import { checkDatabase, healthy } from '../../db/check.js';
import { expectArguments, refuseOnPostgres, withDatabaseRefusals } from './database-refusals.js';
import { CliError, type Command } from './types.js';

export const checkCommand: Command = {
	words: ['check'],
	summary: "report the database's integrity, schema version, outbox and size",
	help: [
		'Usage: npm run kuvend -- check',
		'',
		"Reads the database (safe while the server runs; changes nothing) and reports SQLite's integrity check, the",
		'schema version (the latest migration applied against the latest this code knows), mail waiting in the outbox',
		'and mail given up on, and the size of the file and its write-ahead log. Exit code 1 when the integrity check',
		'fails or the schema is not the one this code serves (migrations pending, or from a newer Kuvend).'
	].join('\n'),
	async run({ args, config, out }) {
		expectArguments('check', args, 0, 0, 'no arguments');
		refuseOnPostgres(config, 'check', 'PostgreSQL checks its own pages (data checksums, amcheck); see /healthz for whether it takes writes.');
		const report = await withDatabaseRefusals(() => checkDatabase(config.databaseFile));
		const { schema, bytes } = report;
		out(`Database:   ${report.file}`);
		out(`Size:       ${formatBytes(bytes.file + bytes.wal)} (file ${formatBytes(bytes.file)}, write-ahead log ${formatBytes(bytes.wal)})`);
		out(`Integrity:  ${report.integrity.join('; ')}`);
		const state = schema.unknown.length
			? `from a newer Kuvend (unknown here: ${schema.unknown.join(', ')})`
			: schema.pending.length
				? `${schema.pending.length} migration(s) pending: ${schema.pending.join(', ')}`
				: 'up to date';
		out(`Schema:     ${schema.applied.at(-1) ?? 'none'} (latest known ${report.latestKnown ?? 'none'}): ${state}`);
		out(`Outbox:     ${report.outbox.pending} waiting, ${report.outbox.failed} failed`);
		if (!healthy(report)) throw new CliError('check found problems: see above.');
	}
};
