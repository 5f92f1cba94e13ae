import { ballotKeyOf } from '../../db/ballots/ballot-seal.js';
import { DataFolderInUseError } from '../../db/data-folder-lock.js';
import { DatabaseUnavailable } from '../../db/dialect/index.js';
import { CliError, type Command } from './types.js';

/** --from <file> and --to <url>, nothing else. */
function options(args: string[]): { from?: string; to?: string } {
	const given: { from?: string; to?: string } = {};
	for (let i = 0; i < args.length; i++) {
		const name = args[i];
		if (name !== '--from' && name !== '--to') throw new CliError(`Unknown argument "${name}" for migrate-to-postgres; see "npm run kuvend -- migrate-to-postgres --help".`);
		const value = args[++i];
		if (!value || value.startsWith('--')) throw new CliError(`${name} needs a value; see "npm run kuvend -- migrate-to-postgres --help".`);
		given[name === '--from' ? 'from' : 'to'] = value;
	}
	return given;
}

export const migrateToPostgresCommand: Command = {
	words: ['migrate-to-postgres'],
	summary: 'move the SQLite database into an empty PostgreSQL database (the server must be stopped)',
	help: [
		'Usage: npm run kuvend -- migrate-to-postgres [--from <file>] [--to <postgres://…>]',
		'',
		'Moves an existing SQLite database (DATABASE_FILE, by default kuvend.db in DATA_DIR, or --from) into an empty',
		'PostgreSQL database (DATABASE_URL, or --to), in one transaction: the schema by the same migrations, every table',
		'copied parents first, the id sequences set past the highest id, then the row count of every table and checksums',
		'of the key tables compared with the original. The search index is rebuilt by PostgreSQL from its folded text.',
		"Secret ballots of votes still open are sealed with the ballot key the PostgreSQL nodes will use (BALLOT_KEY, or",
		'ballot.key in DATA_DIR): every node needs that key. The SQLite file is only read and stays as it was.',
		'Refused, changing nothing: while a server holds the SQLite file (stop it first); when the PostgreSQL database',
		'cannot be reached, refuses the credentials, is older than PostgreSQL 14 or is not empty; when the SQLite file is',
		'behind this Kuvend or from a newer one. Anything failing during the copy rolls it all back.',
		'Afterwards start Kuvend with DATABASE_URL set to the new database.'
	].join('\n'),
	async run({ args, config, out }) {
		const given = options(args);
		const to = given.to ?? config.databaseUrl;
		if (!to) throw new CliError('migrate-to-postgres needs the PostgreSQL database to fill: set DATABASE_URL or give --to postgres://user@host/database.');
		if (!/^postgres(ql)?:\/\//.test(to)) throw new CliError('--to must be a postgres:// or postgresql:// URL.');
		const from = given.from ?? config.databaseFile;
		// Loaded only here: the other commands need no PostgreSQL driver.
		const { moveToPostgres, MoveRefused } = await import('../../db/move-to-postgres.js');
		let report;
		try {
			report = await moveToPostgres({
				from,
				to,
				ballotKey: () => ({ key: ballotKeyOf(config), source: config.ballotKey ? 'BALLOT_KEY' : `${config.dataDir}/ballot.key` }),
				progress: out
			});
		} catch (error) {
			if (error instanceof MoveRefused || error instanceof DatabaseUnavailable || error instanceof DataFolderInUseError) throw new CliError(error.message);
			throw new CliError(`migrate-to-postgres failed and changed nothing (its transaction was rolled back): ${(error as Error).message}`);
		}
		const url = new URL(to);
		out(`Moved ${from} into PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}: ${report.tables.length} tables, ${report.rows} rows, ${report.sequences} id sequences, in ${(report.ms / 1000).toFixed(1)} s.`);
		if (report.sealed.ballots) {
			out(`Sealed ${report.sealed.ballots} ballot(s) of ${report.sealed.votes} open secret vote(s) with the ballot key in ${report.sealed.keySource}: every node must use this key.`);
		}
		out('Start Kuvend with DATABASE_URL set to this database; keep the SQLite file until you have checked the network there.');
	}
};
