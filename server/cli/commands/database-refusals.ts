import { BackupError } from '../../db/backup.js';
import { DataFolderInUseError } from '../../db/data-folder-lock.js';
import { CliError } from './types.js';
import type { Config } from '../../config.js';

/** Runs a database command, turning the refusals the operator can act on into the command line's one-line errors. */
export async function withDatabaseRefusals<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof BackupError || error instanceof DataFolderInUseError) throw new CliError(error.message);
		throw error;
	}
}

/** Refuses, with what to use instead, a command that works on the SQLite file when the database is PostgreSQL. */
export function refuseOnPostgres(config: Config, command: string, instead: string): void {
	if (config.databaseUrl) throw new CliError(`${command} works on the SQLite file only; the database is PostgreSQL (DATABASE_URL): ${instead}`);
}

/** Refuses options (nothing here takes any) and more than `max` arguments, naming the command's help. */
export function expectArguments(command: string, args: string[], min: number, max: number, what: string): void {
	const option = args.find((a) => a.startsWith('-'));
	if (option) throw new CliError(`Unknown option "${option}" for ${command}; see "npm run kuvend -- ${command} --help".`);
	if (args.length < min || args.length > max) throw new CliError(`${command} takes ${what}; see "npm run kuvend -- ${command} --help".`);
}
